"""Reads of the public catalog: published courses of every institution, searched and filtered.

The HTML catalog, its htmx partial, the iCalendar feed and the API list share ``CatalogFilter``
and ``course_catalog``. Search folds the query the way the directory does (core/text.py) and matches
every word as a prefix of a word in ``CourseSearchWord``, so a Kazakh title is found by a Latin
query and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from consilium.core.text import is_number, prefix_range, search_key
from consilium.courses.models import (
    LANGUAGE_CHOICES,
    Audience,
    Course,
    CourseSearchWord,
    CourseStatus,
    CourseVariant,
    Lesson,
    Module,
    Run,
)
from consilium.courses.policy import visible_courses
from consilium.institutions.models import Institution

LANGUAGES = [code for code, _label in LANGUAGE_CHOICES]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
MAX_WORDS = 8


def _int(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if is_number(text) and int(text) > 0 else None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text or len(text) > 8:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


@dataclass(frozen=True)
class CatalogFilter:
    """The filters the catalog page, the run feed and the API list share.

    A value that is not valid is dropped silently, as on the other lists.
    """

    q: str = ""
    institution: int | None = None
    discipline: int | None = None
    language: str = ""
    audience: str = ""
    credits_min: Decimal | None = None
    starts_from: date | None = None
    starts_to: date | None = None

    @classmethod
    def from_params(cls, params: Any) -> CatalogFilter:
        language = params.get("language") or ""
        audience = params.get("audience") or ""
        return cls(
            q=(params.get("q") or "")[:200],
            institution=_int(params.get("institution")),
            discipline=_int(params.get("discipline")),
            language=language if language in LANGUAGES else "",
            audience=audience if audience in Audience.values else "",
            credits_min=_decimal(params.get("credits_min")),
            starts_from=_date(params.get("starts_from")),
            starts_to=_date(params.get("starts_to")),
        )

    @property
    def is_empty(self) -> bool:
        return self == CatalogFilter()


def _search(qs: QuerySet[Course], query: str) -> QuerySet[Course]:
    """Every folded word of ``query`` must start a word of the course's titles or tags."""
    for word in search_key(query).split()[:MAX_WORDS]:
        low, high = prefix_range(word[:60])
        qs = qs.filter(
            pk__in=CourseSearchWord.objects.filter(word__gte=low, word__lt=high).values("course_id")
        )
    return qs


def institution_list_with_courses() -> QuerySet[Institution]:
    """Institutions that own a published course (course_owner_idx answers each probe)."""
    published = Course.objects.filter(owner=OuterRef("pk"), status=CourseStatus.PUBLISHED)
    return Institution.objects.filter(Exists(published)).order_by("name_key", "id")


def course_list_published(user: Any) -> QuerySet[Course]:
    """What the catalog lists: the published courses among those this person may see."""
    return visible_courses(user).filter(status=CourseStatus.PUBLISHED)


def course_list_filtered(qs: QuerySet[Course], flt: CatalogFilter) -> QuerySet[Course]:
    if flt.institution:
        # A union rather than OR: each half reads its own index.
        owned = Course.objects.filter(owner_id=flt.institution).order_by().values("pk")
        shared = Course.co_authors.through.objects.filter(institution_id=flt.institution).values(
            "course_id"
        )
        qs = qs.filter(pk__in=owned.union(shared))
    if flt.discipline:
        qs = qs.filter(discipline_id=flt.discipline)
    if flt.audience:
        qs = qs.filter(audience=flt.audience)
    if flt.credits_min is not None:
        qs = qs.filter(credits__gte=flt.credits_min)
    if flt.starts_from:
        qs = qs.filter(next_start__gte=flt.starts_from)
    if flt.starts_to:
        qs = qs.filter(next_start__lte=flt.starts_to)
    if flt.language:
        # EXISTS probes the (course, language) unique index for the rows read, in order.
        qs = qs.filter(
            Exists(CourseVariant.objects.filter(course=OuterRef("pk"), language=flt.language))
        )
    if flt.q:
        qs = _search(qs, flt.q)
    return qs


def _variants() -> Prefetch[str, QuerySet[CourseVariant], str]:
    return Prefetch(
        "variants",
        queryset=CourseVariant.objects.only("id", "course_id", "language", "title", "summary"),
    )


def course_catalog(user: Any, flt: CatalogFilter | None = None) -> QuerySet[Course]:
    """Published courses matching ``flt``: the next start soonest first, then the newest
    (course_catalog_order_idx).

    Rows come with their owner, discipline and variants; call ``course_labels`` on the rows shown.
    """
    qs = course_list_filtered(course_list_published(user), flt or CatalogFilter())
    return (
        qs.select_related("owner", "discipline")
        .prefetch_related(_variants())
        .order_by(F("next_start").asc(nulls_last=True), "-id")
    )


def variant_for_reader(course: Course, language: str | None = None) -> CourseVariant | None:
    """The variant in ``language`` (the reader's by default), else the original one."""
    variants = {v.language: v for v in course.variants.all()}
    language = language or translation.get_language() or ""
    return (
        variants.get(language[:2])
        or variants.get(course.original_language)
        or next(iter(variants.values()), None)
    )


def course_labels(courses: Iterable[Course], language: str | None = None) -> list[Course]:
    """Give each course (with prefetched variants) what a list row shows: ``title``,
    ``summary`` in the reader's language, ``languages`` and ``upcoming`` (the next start if it
    is still ahead)."""
    today = timezone.localdate()
    rows = list(courses)
    for course in rows:
        variant = variant_for_reader(course, language)
        course.title = variant.title if variant else ""  # type: ignore[attr-defined]
        course.summary = variant.summary if variant else ""  # type: ignore[attr-defined]
        course.shown_language = variant.language if variant else ""  # type: ignore[attr-defined]
        course.languages = [  # type: ignore[attr-defined]
            (code, LANGUAGE_NAMES[code])
            for code in LANGUAGES
            if any(v.language == code for v in course.variants.all())
        ]
        course.upcoming = (  # type: ignore[attr-defined]
            course.next_start if course.next_start and course.next_start >= today else None
        )
    return rows


# --- one course --------------------------------------------------------------------------


def variant_ids_with_lessons(course_ids: Iterable[int]) -> set[int]:
    """Ids of the variants of these courses that have at least one lesson. A variant without
    lessons is a translation in progress: it is never offered for enrolment or learning."""
    return set(
        Lesson.objects.filter(module__variant__course_id__in=list(course_ids))
        .values_list("module__variant_id", flat=True)
        .distinct()
    )


def variant_list_offered(course: Course) -> list[CourseVariant]:
    """The course's variants a learner may choose (those with lessons), in language order."""
    with_lessons = variant_ids_with_lessons([course.pk])
    variants = [v for v in course.variants.all() if v.pk in with_lessons]
    return sorted(variants, key=lambda v: LANGUAGES.index(v.language))


def variant_taught(
    course: Course, shown: CourseVariant | None, offered: list[CourseVariant]
) -> CourseVariant | None:
    """The variant whose syllabus a reader of ``shown`` is given: ``shown`` itself when it has
    lessons, else the original language's, else the first offered one (None: none has any)."""
    if shown is not None and shown in offered:
        return shown
    by_language = {v.language: v for v in offered}
    return by_language.get(course.original_language) or (offered[0] if offered else None)


def course_detail(pk: int) -> Course | None:
    """The course with what its page shows (access is checked by the caller)."""
    return (
        Course.objects.select_related("owner", "discipline")
        .prefetch_related("co_authors", "variants")
        .filter(pk=pk)
        .first()
    )


def course_outline(variant: CourseVariant) -> list[Module]:
    """The variant's modules with their lessons (and each quiz lesson's quiz), in order."""
    return list(
        variant.modules.prefetch_related(
            Prefetch(
                "lessons",
                queryset=Lesson.objects.select_related("quiz").only(
                    "id", "module_id", "position", "title", "kind", "required", "quiz__id"
                ),
            )
        )
    )


def run_list_open(course: Course) -> list[Run]:
    """Runs that have not ended, soonest first; each with ``places_left`` and ``open_now``."""
    today = timezone.localdate()
    runs = list(
        course.runs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).order_by(
            "starts_on", "id"
        )
    )
    for run in runs:
        run.places_left = (  # type: ignore[attr-defined]
            None if run.capacity is None else max(0, run.capacity - run.enrolled)
        )
        run.open_now = run_is_open(run, today)  # type: ignore[attr-defined]
    return runs


def run_is_open(run: Run, today: date | None = None) -> bool:
    """Enrolment window open today (both ends inclusive) and the run not ended."""
    today = today or timezone.localdate()
    return (
        run.enrolment_opens_on <= today
        and (run.enrolment_closes_on is None or today <= run.enrolment_closes_on)
        and (run.ends_on is None or today <= run.ends_on)
    )


def run_list_upcoming(user: Any, flt: CatalogFilter | None = None, limit: int = 500) -> list[Run]:
    """Runs of catalog courses starting today or later, soonest first, for the feed."""
    courses = course_list_filtered(course_list_published(user), flt or CatalogFilter())
    return list(
        Run.objects.filter(course__in=courses.values("pk"), starts_on__gte=timezone.localdate())
        .select_related("course")
        .prefetch_related(Prefetch("course__variants", queryset=_variants().queryset))
        .order_by("starts_on", "id")[:limit]
    )
