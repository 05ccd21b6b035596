"""What the statistics pages show, read from the kept totals (``YearStats``) only.

No selector here counts enrolments: each reads a handful of rows whatever the size of the
bank (see services/stats.py for how the totals are kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import formats, timezone

from consilium.core.languages import pick
from consilium.courses.models import (
    Course,
    CourseStatus,
    CourseVariant,
    Enrolment,
    StatsScope,
    YearStats,
)
from consilium.courses.policy import visible_enrolments
from consilium.institutions.models import Institution

FIELDS = ("courses", "visitors", "enrolments", "completions", "certificates")
TOP_ROWS = 50
MINUS = "\u2212"


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None when there is no whole to divide."""
    return part * 100 / whole if whole else None


@dataclass(frozen=True)
class Growth:
    """This year against the year before: ``ratio`` is None when the year before had none."""

    ratio: float | None

    @classmethod
    def of(cls, current: int, previous: int) -> Growth:
        return cls(current / previous if previous else None)

    @property
    def label(self) -> str:
        """ "×40" for a multiple of two or more, otherwise a signed change: "+12 %", "−8 %"."""
        if self.ratio is None:
            return ""
        if self.ratio >= 2:
            digits = 0 if self.ratio >= 10 else 1
            return "×" + formats.number_format(round(self.ratio, digits), digits)
        change = round((self.ratio - 1) * 100)
        sign = "+" if change > 0 else MINUS if change < 0 else ""
        return f"{sign}{formats.number_format(abs(change))}\u00a0%"

    @property
    def direction(self) -> str:
        if self.ratio is None or self.ratio == 1:
            return "flat"
        return "up" if self.ratio > 1 else "down"


@dataclass(frozen=True)
class YearTotals:
    year: int
    courses: int = 0
    visitors: int = 0
    enrolments: int = 0
    completions: int = 0
    certificates: int = 0
    growth: dict[str, Growth] = field(default_factory=dict)

    @property
    def enrolment_rate(self) -> float | None:
        """Visitors who enrolled."""
        return share(self.enrolments, self.visitors)

    @property
    def completion_rate(self) -> float | None:
        """Enrolments completed."""
        return share(self.completions, self.enrolments)

    @property
    def certificate_rate(self) -> float | None:
        """Enrolments that earned a certificate ("one in five" is 20 %)."""
        return share(self.certificates, self.enrolments)

    @property
    def certificate_one_in(self) -> int | None:
        """One in how many enrolments earned a certificate (5 for "one in five")."""
        return round(self.enrolments / self.certificates) if self.certificates else None

    def as_row(self) -> list[Any]:
        return [self.year, *(getattr(self, name) for name in FIELDS)]


def _years(rows: QuerySet[YearStats]) -> list[YearTotals]:
    """Totals per year, oldest first, each with its growth against the year before."""
    by_year = {row.year: row for row in rows}
    result = []
    for year in sorted(by_year):
        row, before = by_year[year], by_year.get(year - 1)
        result.append(
            YearTotals(
                year=year,
                **{name: getattr(row, name) for name in FIELDS},
                growth={
                    name: Growth.of(getattr(row, name), getattr(before, name) if before else 0)
                    for name in FIELDS
                },
            )
        )
    return result


def _pick(years: list[YearTotals], year: int | None) -> YearTotals:
    """The asked-for year if it has totals, otherwise the latest (or an empty current year)."""
    for totals in years:
        if totals.year == year:
            return totals
    return years[-1] if years else YearTotals(year=timezone.localdate().year)


def course_title_map(course_ids: list[int]) -> dict[int, str]:
    """Each course's title in the reader's language, else in the first of its fallbacks the
    course has (``core.languages``: one order everywhere); one query."""
    titles: dict[int, dict[str, str]] = {}
    for course_id, variant_language, title in CourseVariant.objects.filter(
        course_id__in=course_ids
    ).values_list("course_id", "language", "title"):
        titles.setdefault(course_id, {})[variant_language] = title
    return {pk: pick(titles.get(pk, {})) or "" for pk in course_ids}


# --- a course --------------------------------------------------------------------------------


def course_funnel(course_id: int) -> list[YearTotals]:
    """Visitors → enrolments → completions → certificates of one course, per year."""
    return _years(YearStats.objects.filter(scope=StatsScope.COURSE, scope_id=course_id))


def course_learner_list(user: Any, course: Course, query: str = "") -> QuerySet[Enrolment]:
    """The course's enrolments that ``user`` may see, with their learners and progress, newest
    first; ``query`` matches the learner's name or e-mail."""
    rows = visible_enrolments(user).filter(course=course).select_related("learner", "run")
    query = query.strip()
    if query:
        rows = rows.filter(
            Q(learner__full_name__icontains=query) | Q(learner__email__icontains=query)
        )
    return rows.order_by("-enrolled_at", "-id")


# --- an institution --------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseLine:
    course_id: int
    title: str
    totals: YearTotals


@dataclass(frozen=True)
class InstitutionDashboard:
    years: list[YearTotals]
    current: YearTotals
    courses: list[CourseLine]


def institution_year(institution_id: int, year: int) -> YearTotals | None:
    row = YearStats.objects.filter(
        scope=StatsScope.INSTITUTION, scope_id=institution_id, year=year
    ).first()
    if row is None:
        return None
    return YearTotals(year=year, **{name: getattr(row, name) for name in FIELDS})


def institution_dashboard(
    institution: Institution, year: int | None = None, limit: int | None = TOP_ROWS
) -> InstitutionDashboard:
    """The institution's totals per year and its courses of one year, most enrolments first
    (``limit`` None: all of them, for the export)."""
    years = _years(YearStats.objects.filter(scope=StatsScope.INSTITUTION, scope_id=institution.pk))
    current = _pick(years, year)
    ranked = YearStats.objects.filter(
        scope=StatsScope.COURSE,
        year=current.year,
        scope_id__in=Course.objects.filter(owner=institution).values("pk"),
    ).order_by("-enrolments", "scope_id")
    rows = list(ranked if limit is None else ranked[:limit])
    titles = course_title_map([row.scope_id for row in rows])
    courses = [
        CourseLine(
            course_id=row.scope_id,
            title=titles[row.scope_id],
            totals=YearTotals(year=row.year, **{name: getattr(row, name) for name in FIELDS}),
        )
        for row in rows
    ]
    return InstitutionDashboard(years=years, current=current, courses=courses)


def course_published_count(institution: Institution) -> int:
    return Course.objects.filter(owner=institution, status=CourseStatus.PUBLISHED).count()


# --- the network -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InstitutionLine:
    institution: Institution
    totals: YearTotals


@dataclass(frozen=True)
class NetworkDashboard:
    years: list[YearTotals]
    current: YearTotals
    institutions: list[InstitutionLine]


def network_dashboard(year: int | None = None, limit: int | None = TOP_ROWS) -> NetworkDashboard:
    """The network's totals per year and its institutions of one year, most enrolments first
    (``limit`` None: all of them, for the export)."""
    years = _years(YearStats.objects.filter(scope=StatsScope.NETWORK, scope_id=0))
    current = _pick(years, year)
    ranked = YearStats.objects.filter(scope=StatsScope.INSTITUTION, year=current.year).order_by(
        "-enrolments", "scope_id"
    )
    rows = list(ranked if limit is None else ranked[:limit])
    institutions = Institution.objects.in_bulk([row.scope_id for row in rows])
    lines = [
        InstitutionLine(
            institution=institutions[row.scope_id],
            totals=YearTotals(year=row.year, **{name: getattr(row, name) for name in FIELDS}),
        )
        for row in rows
        if row.scope_id in institutions
    ]
    return NetworkDashboard(years=years, current=current, institutions=lines)
