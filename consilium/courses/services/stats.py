"""Statistics of the course bank: visit marks and yearly totals (kept by tasks.py).

Dashboards read ``YearStats`` only. The rows are kept like this:

* a course row (enrolments by ``enrolled_at`` year, completions by ``completed_at`` year,
  certificates as the receivers of ``signals.count_certificates`` count them: the certificates
  app) is recomputed from the raw rows by the task ``refresh_course_year`` (``course_year_refresh``) whenever
  ``tasks.record_change`` is called for it;
* visitors are never recomputed: a visit leaves only a salted daily hash (``VisitMark``), and
  the nightly ``visit_day_close`` adds each day's distinct hashes to the course's year and
  deletes the marks;
* an institution row is the sum of the rows of the courses it *owns* (co-authored courses
  count for their owner only), the network row the sum of all course rows; ``courses`` is the
  number of courses in the catalog (published) first published in or before that year;
* ``stats_rebuild_all`` recomputes every row from the raw rows (visitors kept) for the nightly
  command and after bulk loads.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.utils import timezone

from consilium.core import public_cache
from consilium.core.http import client_ip
from consilium.core.services import read_only, service
from consilium.courses import signals
from consilium.courses.models import (
    Course,
    CourseStatus,
    Enrolment,
    StatsScope,
    VisitMark,
    YearStats,
)

COUNTED = ("visitors", "enrolments", "completions", "certificates")
# The day's salt outlives the day a little, so that visits just before midnight still match.
SALT_SECONDS = 2 * 24 * 3600
BOT_MARKERS = ("bot", "spider", "crawl")
# The content version of the dashboards' totals (core/public_cache.py, core/person_cache.py).
STATS_CACHE = "course-stats"


# --- visits ----------------------------------------------------------------------------------


def _daily_salt(day: date) -> str:
    """A random salt per day, kept only in the cache: nobody can recompute a digest later."""
    salt = cache.get_or_set(
        f"course-visit-salt:{day.isoformat()}", lambda: secrets.token_hex(32), SALT_SECONDS
    )
    return str(salt)


@read_only
def visit_digest(*, course_id: int, identity: str, day: date) -> str:
    text = f"{_daily_salt(day)}:{course_id}:{identity}"
    return hashlib.sha256(text.encode()).hexdigest()


@read_only
def visit_to_count(*, course_id: int, request: HttpRequest) -> tuple[date, str] | None:
    """Today's date and the digest of this (unknown) visitor to the course page when the visit
    is to be counted (``visit_record``), None when it is not: robots, HEAD requests and a
    visitor already seen today (remembered in the cache, so a repeat visit costs no database
    work at all, not even a transaction).

    The visitor is their address and browser (``core.http.client_ip``: a forwarded address
    only from a trusted proxy) and a salted daily hash of them is all that is stored (see
    models.VisitMark).
    """
    if request.method == "HEAD":
        return None
    agent = request.META.get("HTTP_USER_AGENT", "")
    if any(marker in agent.lower() for marker in BOT_MARKERS):
        return None
    day = timezone.localdate()
    identity = f"{client_ip(request)}|{agent}"
    digest = visit_digest(course_id=course_id, identity=identity, day=day)
    if not cache.add(f"visit:{day.isoformat()}:{digest}", 1, SALT_SECONDS):
        return None
    return day, digest


@service
def visit_record(*, course_id: int, day: date, digest: str) -> None:
    """Count a visit ``visit_to_count`` let through (once per visitor, course and day)."""
    VisitMark.objects.bulk_create(
        [VisitMark(course_id=course_id, day=day, digest=digest)], ignore_conflicts=True
    )


@service
def visit_day_close(day: date) -> int:
    """Add the distinct visitors of ``day`` (and of any earlier day left open) to the courses'
    years, refresh the institutions and the network, and delete those marks.

    One transaction: a second run finds no marks and changes nothing. Returns the number of
    visitors counted.
    """
    with transaction.atomic():
        marks = VisitMark.objects.filter(day__lte=day)
        # (course, day, digest) is unique, so rows per course and year are the sum of the
        # distinct visitors of each day.
        per_year = list(
            marks.values("course_id", year=ExtractYear("day"))
            .annotate(n=Count("id"))
            .order_by("course_id", "year")
        )
        if not per_year:
            return 0
        course_ids = {row["course_id"] for row in per_year}
        owners = dict(Course.objects.filter(pk__in=course_ids).values_list("pk", "owner_id"))
        for row in per_year:
            updated = YearStats.objects.filter(
                scope=StatsScope.COURSE, scope_id=row["course_id"], year=row["year"]
            ).update(visitors=F("visitors") + row["n"])
            if not updated:
                YearStats.objects.create(
                    scope=StatsScope.COURSE,
                    scope_id=row["course_id"],
                    year=row["year"],
                    visitors=row["n"],
                )
        years = {row["year"] for row in per_year}
        for owner_id, year in sorted({(owners[r["course_id"]], r["year"]) for r in per_year}):
            _refresh_institution_year(owner_id, year)
        for year in sorted(years):
            _refresh_network_year(year)
        marks.delete()
    return sum(row["n"] for row in per_year)


# --- totals ----------------------------------------------------------------------------------


def _certificates(course_id: int, year: int) -> int:
    return signals.certificates_per_course_year(Course, course_id, year)


@service
def course_year_refresh(*, course_id: int, year: int) -> None:
    """Recompute one course's row for one year from the raw rows (visitors kept), then its
    owner institution's row and the network row."""
    owner_id = Course.objects.filter(pk=course_id).values_list("owner_id", flat=True).first()
    if owner_id is None:
        return  # the course is gone
    with transaction.atomic():
        counts = Enrolment.objects.filter(course_id=course_id).aggregate(
            enrolments=Count("id", filter=Q(enrolled_at__year=year)),
            completions=Count("id", filter=Q(completed_at__year=year)),
        )
        counts["certificates"] = _certificates(course_id, year)
        YearStats.objects.update_or_create(
            scope=StatsScope.COURSE, scope_id=course_id, year=year, defaults=counts
        )
        _refresh_institution_year(owner_id, year)
        _refresh_network_year(year)


def _sums(rows: Any) -> dict[str, int]:
    totals = rows.aggregate(**{name: Sum(name) for name in COUNTED})
    return {name: totals[name] or 0 for name in COUNTED}


def _catalog_courses(year: int) -> Any:
    """Courses in the catalog first published in or before ``year``."""
    return Course.objects.filter(status=CourseStatus.PUBLISHED, published_at__year__lte=year)


def _refresh_institution_year(institution_id: int, year: int) -> None:
    own = Course.objects.filter(owner_id=institution_id).values("pk")
    values = _sums(YearStats.objects.filter(scope=StatsScope.COURSE, year=year, scope_id__in=own))
    values["courses"] = _catalog_courses(year).filter(owner_id=institution_id).count()
    YearStats.objects.update_or_create(
        scope=StatsScope.INSTITUTION, scope_id=institution_id, year=year, defaults=values
    )


def _refresh_network_year(year: int) -> None:
    # Every change of the totals ends here (or in stats_rebuild_all): the dashboards' cached pages go.
    public_cache.bump(STATS_CACHE)
    values = _sums(YearStats.objects.filter(scope=StatsScope.INSTITUTION, year=year))
    values["courses"] = _catalog_courses(year).count()
    YearStats.objects.update_or_create(
        scope=StatsScope.NETWORK, scope_id=0, year=year, defaults=values
    )


def _per_course_year(rows: Iterable[dict[str, Any]]) -> dict[tuple[int, int], int]:
    return {(row["course_id"], row["year"]): row["n"] for row in rows if row["year"] is not None}


@service
def stats_rebuild_all() -> None:
    """Recompute every row from the raw rows; visitors (which have no raw rows) are kept.

    Institution and network rows are rebuilt for every year with course rows, and for the
    current year wherever there are published courses.
    """
    enrolled = _per_course_year(
        Enrolment.objects.values("course_id", year=ExtractYear("enrolled_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    completed = _per_course_year(
        Enrolment.objects.filter(completed_at__isnull=False)
        .values("course_id", year=ExtractYear("completed_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    owners = dict(Course.objects.values_list("pk", "owner_id"))
    first_published: dict[int, list[int]] = defaultdict(list)
    for owner_id, published_at in Course.objects.filter(
        status=CourseStatus.PUBLISHED, published_at__isnull=False
    ).values_list("owner_id", "published_at"):
        first_published[owner_id].append(timezone.localtime(published_at).year)
    this_year = timezone.localdate().year

    with transaction.atomic():
        existing = {
            (row.scope_id, row.year): row
            for row in YearStats.objects.select_for_update().filter(scope=StatsScope.COURSE)
        }
        keys = {key for key in {*enrolled, *completed, *existing} if key[0] in owners}
        finished = {course_id for course_id, _year in completed}
        new_rows, changed = [], []
        for course_id, year in sorted(keys):
            row = existing.get((course_id, year))
            if row is None:
                row = YearStats(scope=StatsScope.COURSE, scope_id=course_id, year=year)
                new_rows.append(row)
            else:
                changed.append(row)
            row.enrolments = enrolled.get((course_id, year), 0)
            row.completions = completed.get((course_id, year), 0)
            # A certificate is earned by completing: courses nobody completed need no look-up.
            row.certificates = _certificates(course_id, year) if course_id in finished else 0
        YearStats.objects.bulk_update(changed, ["enrolments", "completions", "certificates"])
        YearStats.objects.bulk_create(new_rows)
        YearStats.objects.filter(scope=StatsScope.COURSE).exclude(
            scope_id__in=list(owners)
        ).delete()

        institutions: dict[tuple[int, int], dict[str, int]] = {}
        for row in [*changed, *new_rows]:
            key = (owners[row.scope_id], row.year)
            totals = institutions.setdefault(key, dict.fromkeys(COUNTED, 0))
            for name in COUNTED:
                totals[name] += getattr(row, name)
        for owner_id in first_published:
            institutions.setdefault((owner_id, this_year), dict.fromkeys(COUNTED, 0))
        network: dict[int, dict[str, int]] = {}
        for (owner_id, year), totals in institutions.items():
            summed = network.setdefault(year, dict.fromkeys(COUNTED, 0))
            for name in COUNTED:
                summed[name] += totals[name]
            totals["courses"] = sum(1 for y in first_published.get(owner_id, ()) if y <= year)
        all_published = [y for years in first_published.values() for y in years]
        for year, totals in network.items():
            totals["courses"] = sum(1 for y in all_published if y <= year)

        public_cache.bump(STATS_CACHE)
        YearStats.objects.exclude(scope=StatsScope.COURSE).delete()
        YearStats.objects.bulk_create(
            [
                YearStats(scope=StatsScope.INSTITUTION, scope_id=owner_id, year=year, **totals)
                for (owner_id, year), totals in sorted(institutions.items())
            ]
            + [
                YearStats(scope=StatsScope.NETWORK, scope_id=0, year=year, **totals)
                for year, totals in sorted(network.items())
            ]
        )
