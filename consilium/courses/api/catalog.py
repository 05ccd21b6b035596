"""The catalog as JSON: published courses with the page's filters, one course, upcoming runs.

Anyone may read it, without a token; a draft is shown only to those the access policy lets
read it ("course.view"), others get 403 (or 404 if it does not exist). Anonymous answers are
cached until the next write to the course bank.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from consilium.core import access, public_cache
from consilium.core.api import Page, Paging, page, public
from consilium.courses.models import Course, Run
from consilium.courses.policy import Perm
from consilium.courses.selectors import catalog as selectors

router = Router(tags=["courses"])

T = TypeVar("T")


class CatalogQuery(Schema):
    q: str = Field("", max_length=200, description="Words of the title or tags, any script")
    institution: str = Field("", description="Owner or co-authoring institution id")
    discipline: str = Field("", description="Discipline id")
    language: str = Field("", description="Has a variant in this language (en, ru, uk, kk)")
    audience: str = ""
    credits_min: str = ""
    starts_from: str = Field("", description="Next start on or after (YYYY-MM-DD)")
    starts_to: str = Field("", description="Next start on or before (YYYY-MM-DD)")


class CatalogListQuery(CatalogQuery, Paging):
    pass


class CatalogInstitution(Schema):
    id: int
    name: str
    short_name: str


class DisciplineRef(Schema):
    id: int
    code: str
    name: str


class CourseSummary(Schema):
    id: int
    title: str
    summary: str
    title_language: str
    languages: list[str]
    owner: CatalogInstitution
    discipline: DisciplineRef
    audience: str
    level: str
    hours: int
    credits: Decimal
    next_start: date | None
    url: str


class CatalogVariant(Schema):
    id: int
    language: str
    title: str
    summary: str
    description: str
    translation_status: str


class CatalogRun(Schema):
    id: int
    course_id: int
    starts_on: date
    ends_on: date | None
    enrolment_opens_on: date
    enrolment_closes_on: date | None
    pacing: str
    capacity: int | None
    places_left: int | None
    enrolment_open: bool


class CourseDetail(CourseSummary):
    status: str
    original_language: str
    tags: list[str]
    co_authors: list[CatalogInstitution]
    variants: list[CatalogVariant]
    runs: list[CatalogRun]


class RunListItem(CatalogRun):
    title: str


def _institution(institution: Any) -> dict[str, Any]:
    return {
        "id": institution.pk,
        "name": institution.name,
        "short_name": institution.display_short,
    }


def _summary(course: Course) -> dict[str, Any]:
    return {
        "id": course.pk,
        "title": course.title,  # type: ignore[attr-defined]
        "summary": course.summary,  # type: ignore[attr-defined]
        "title_language": course.shown_language,  # type: ignore[attr-defined]
        "languages": [code for code, _name in course.languages],  # type: ignore[attr-defined]
        "owner": _institution(course.owner),
        "discipline": {
            "id": course.discipline_id,
            "code": course.discipline.code,
            "name": course.discipline.name,
        },
        "audience": course.audience,
        "level": course.level,
        "hours": course.hours,
        "credits": course.credits,
        "next_start": course.next_start,
        "url": f"/courses/{course.pk}/",
    }


def _run(run: Run) -> dict[str, Any]:
    return {
        "id": run.pk,
        "course_id": run.course_id,
        "starts_on": run.starts_on,
        "ends_on": run.ends_on,
        "enrolment_opens_on": run.enrolment_opens_on,
        "enrolment_closes_on": run.enrolment_closes_on,
        "pacing": run.pacing,
        "capacity": run.capacity,
        "places_left": None if run.capacity is None else max(0, run.capacity - run.enrolled),
        "enrolment_open": selectors.run_is_open(run),
    }


def _filter(params: CatalogQuery) -> selectors.CatalogFilter:
    return selectors.CatalogFilter.from_params(params.model_dump())


def _anonymous_cached(request: HttpRequest, build: Callable[[], T]) -> T:
    if request.user.is_authenticated:
        return build()
    return public_cache.cached_json("courses", request, build)


@router.get(
    "/catalog/",
    response=Page[CourseSummary],
    summary="Search and filter the catalog",
    description=(
        "Published courses, the next start soonest first. The filters of the catalog page: "
        "`q` (words of a title in any language and script), `institution`, `discipline`, "
        "`language`, `audience`, `credits_min`, `starts_from`, `starts_to`. As on the page, "
        "a value that is not valid is ignored. Titles are in the `Accept-Language` language "
        "where the course has that variant, else in its original language."
    ),
)
@public
def list_catalog(request: HttpRequest, params: Query[CatalogListQuery]) -> dict[str, Any]:
    access.require(request.user, Perm.COURSE_CATALOG)

    def build() -> dict[str, Any]:
        qs = selectors.course_catalog(request.user, _filter(params))
        return page(qs, params, lambda rows: [_summary(c) for c in selectors.course_labels(rows)])

    return _anonymous_cached(request, build)


@router.get("/catalog/runs/", response=list[RunListItem], summary="Upcoming runs")
@public
def list_runs(request: HttpRequest, params: Query[CatalogQuery]) -> list[dict[str, Any]]:
    """Runs of catalog courses starting today or later, soonest first (at most 1000), with the
    catalog's filters; the same runs as the iCalendar feed."""
    access.require(request.user, Perm.COURSE_CATALOG)

    def build() -> list[dict[str, Any]]:
        rows = []
        for run in selectors.run_list_upcoming(request.user, _filter(params)):
            variant = selectors.variant_for_reader(run.course)
            rows.append({**_run(run), "title": variant.title if variant else ""})
        return rows

    return _anonymous_cached(request, build)


@router.get("/catalog/{int:pk}", response=CourseDetail, summary="One course")
@public
def get_course(request: HttpRequest, pk: int) -> dict[str, Any]:
    course = selectors.course_detail(pk)
    if course is None:
        raise Http404
    access.require(request.user, Perm.COURSE_VIEW, course)
    [labelled] = selectors.course_labels([course])
    return {
        **_summary(labelled),
        "status": course.status,
        "original_language": course.original_language,
        "tags": course.tag_list,
        "co_authors": [_institution(i) for i in course.co_authors.all()],
        "variants": [
            {
                "id": v.pk,
                "language": v.language,
                "title": v.title,
                "summary": v.summary,
                "description": v.description,
                "translation_status": v.translation_status,
            }
            for v in course.variants.all()
        ],
        "runs": [_run(run) for run in selectors.run_list_open(course)],
    }
