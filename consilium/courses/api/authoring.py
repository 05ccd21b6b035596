"""The authoring and review API: courses authors write, their variants and runs, the review.

Every endpoint names the permission it requires (``access.require``); writes go through
``services.authoring`` and ``services.reviewing``. Changing a course's settings is optimistic:
send the ``revision`` you read; if someone saved in between, the answer is 409 with the current
revision and nothing is written. Bad input answers 400 with errors per field, in the language
of the request.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from consilium.accounts.models import User
from consilium.core import access
from consilium.core.api import Conflict, ItemsPage, Paging, page
from consilium.courses.models import Course, CourseVariant, Discipline, Review, Run
from consilium.courses.policy import Perm
from consilium.courses.selectors import authoring as selectors
from consilium.courses.services import authoring as services
from consilium.courses.services import reviewing
from consilium.institutions.models import Institution

router = Router(tags=["courses"])
MAX_ID = 2**63 - 1


# --- schemas -----------------------------------------------------------------------------


class VariantOut(Schema):
    id: int
    language: str
    title: str
    summary: str
    description: str
    translation_status: str


class RunOut(Schema):
    id: int
    starts_on: date
    ends_on: date | None
    enrolment_opens_on: date
    enrolment_closes_on: date | None
    pacing: str
    capacity: int | None
    enrolled: int


class CourseOut(Schema):
    id: int
    owner_id: int
    co_author_ids: list[int]
    discipline_id: int
    audience: str
    level: str
    hours: int
    credits: Decimal
    tags: list[str]
    status: str
    original_language: str
    revision: int
    published_at: datetime | None
    next_start: date | None
    variants: list[VariantOut]
    runs: list[RunOut]


class SettingsIn(Schema):
    discipline_id: int
    audience: str = Field(..., description="students, residents, nurses or physicians")
    level: str = Field(..., description="introductory, intermediate or advanced")
    hours: int
    credits: Decimal = Decimal(0)
    tags: list[str] = []
    co_author_ids: list[int] = []


class CourseCreateIn(SettingsIn):
    owner_id: int
    language: str = Field(..., description="The original language: en, ru, uk or kk")
    title: str
    summary: str = ""
    description: str = Field("", description="HTML; cleaned before it is stored")


class CourseUpdateIn(SettingsIn):
    revision: int = Field(..., description="The revision you read; a stale one answers 409.")
    reviewer_id: int | None = Field(
        None, description="Required for a major change of a published course."
    )
    note: str = ""


class VariantIn(Schema):
    language: str
    title: str
    summary: str = ""
    description: str = ""
    translation_status: str = "in_progress"
    reviewer_id: int | None = Field(None, description="Required when the course is published.")
    note: str = ""


class VariantUpdateIn(Schema):
    title: str
    summary: str = ""
    description: str = ""
    translation_status: str


class RunIn(Schema):
    starts_on: date
    ends_on: date | None = None
    enrolment_opens_on: date
    enrolment_closes_on: date | None = None
    pacing: str = "scheduled"
    capacity: int | None = None


class SubmitIn(Schema):
    reviewer_id: int
    note: str = ""


class ScoreIn(Schema):
    criterion_id: int
    score: int
    comment: str = ""


class ScoreOut(Schema):
    criterion_id: int
    criterion: str
    score: int
    max_score: int
    comment: str


class DecideIn(Schema):
    verdict: str = Field(..., description="approved or changes_requested")
    scores: list[ScoreIn]
    comment: str = ""


class ReviewOut(Schema):
    id: int
    course_id: int
    reviewer_id: int
    verdict: str
    note: str
    comment: str
    submitted_at: datetime
    decided_at: datetime | None
    scores: list[ScoreOut]


# --- helpers -----------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _row(model: type[Model], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    row = model._default_manager.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if row is None:
        raise ValidationError({field: [_("This value is not valid.")]})
    return row


def _rows(model: type[Model], ids: list[int], field: str) -> list[Any]:
    wanted = {pk for pk in ids if 0 < pk <= MAX_ID}
    rows = list(model._default_manager.filter(pk__in=wanted))
    if len(rows) != len(set(ids)):
        raise ValidationError({field: [_("This value is not valid.")]})
    return rows


def _course(request: HttpRequest, pk: int, perm: Perm = Perm.COURSE_AUTHOR) -> Course:
    if not 0 < pk <= MAX_ID:
        raise Http404
    try:
        course = selectors.course_detail_for_edit(pk)
    except Course.DoesNotExist:
        raise Http404 from None
    access.require(request.user, perm, course)
    return course


def _settings(payload: SettingsIn) -> services.Settings:
    return services.Settings(
        discipline=_row(Discipline, payload.discipline_id, "discipline_id"),
        audience=payload.audience,
        level=payload.level,
        hours=payload.hours,
        credits=payload.credits,
        tags=", ".join(payload.tags),
        co_authors=_rows(Institution, payload.co_author_ids, "co_author_ids"),
    )


def _course_out(course: Course) -> dict[str, Any]:
    return {
        "id": course.pk,
        "owner_id": course.owner_id,
        "co_author_ids": sorted(i.pk for i in course.co_authors.all()),
        "discipline_id": course.discipline_id,
        "audience": course.audience,
        "level": course.level,
        "hours": course.hours,
        "credits": course.credits,
        "tags": course.tag_list,
        "status": course.status,
        "original_language": course.original_language,
        "revision": course.revision,
        "published_at": course.published_at,
        "next_start": course.next_start,
        "variants": list(course.variants.all()),
        "runs": list(course.runs.all()),
    }


def _fresh(pk: int) -> dict[str, Any]:
    return _course_out(selectors.course_detail_for_edit(pk))


def _review_out(item: Review) -> dict[str, Any]:
    return {
        "id": item.pk,
        "course_id": item.course_id,
        "reviewer_id": item.reviewer_id,
        "verdict": item.verdict,
        "note": item.note,
        "comment": item.comment,
        "submitted_at": item.submitted_at,
        "decided_at": item.decided_at,
        "scores": [
            {
                "criterion_id": s.criterion_id,
                "criterion": s.criterion.name,
                "score": s.score,
                "max_score": s.criterion.max_score,
                "comment": s.comment,
            }
            for s in item.scores.all()
        ],
    }


# --- courses -----------------------------------------------------------------------------


@router.get("/authored/", response=ItemsPage[CourseOut], summary="Courses I author")
def list_authored(request: HttpRequest, params: Query[Paging], status: str = "") -> dict[str, Any]:
    access.require(request.user, Perm.COURSE_CREATE)
    rows = selectors.course_list_authored(request.user, status=status).prefetch_related(
        "co_authors", "runs"
    )
    return page(rows, params, lambda page_rows: [_course_out(c) for c in page_rows], key="items")


@router.post("/authored/", response={201: CourseOut}, summary="Create a draft course")
def create_course(request: HttpRequest, payload: CourseCreateIn) -> Status[dict[str, Any]]:
    access.require(request.user, Perm.COURSE_CREATE)
    course = services.course_create(
        by=_user(request),
        owner=_row(Institution, payload.owner_id, "owner_id"),
        settings_=_settings(payload),
        language=payload.language,
        title=payload.title,
        summary=payload.summary,
        description=payload.description,
    )
    return Status(201, _fresh(course.pk))


@router.get("/authored/{int:pk}", response=CourseOut, summary="A course I author")
def get_authored_course(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _course_out(_course(request, pk))


def _conflict(pk: int) -> Status[dict[str, Any]]:
    current = Course.objects.filter(pk=pk).values_list("revision", flat=True).first() or 0
    return Status(
        409,
        {
            "detail": _(
                "Someone else saved this course's settings since you read them; nothing was "
                "saved. Read revision %(revision)s and send your changes again."
            )
            % {"revision": current},
            "revision": current,
        },
    )


@router.put(
    "/authored/{int:pk}",
    response={200: CourseOut, 409: Conflict},
    summary="Change the course's settings",
    description=(
        "Send the `revision` you read: if someone saved in between, the answer is 409 with the "
        "current revision and nothing is written. On a published course a change of hours, "
        "credits, audience, level or discipline sends it back to review: give `reviewer_id`."
    ),
)
def update_course(request: HttpRequest, pk: int, payload: CourseUpdateIn) -> Status[dict[str, Any]]:
    course = _course(request, pk)
    try:
        services.course_update(
            course=course,
            by=_user(request),
            expected_revision=payload.revision,
            settings_=_settings(payload),
            reviewer=_row(User, payload.reviewer_id, "reviewer_id"),
            note=payload.note,
        )
    except services.ConflictError:
        return _conflict(pk)
    return Status(200, _fresh(pk))


# --- variants ----------------------------------------------------------------------------


@router.post(
    "/authored/{int:pk}/variants",
    response={201: VariantOut},
    summary="Add a language variant",
)
def add_variant(request: HttpRequest, pk: int, payload: VariantIn) -> Status[CourseVariant]:
    course = _course(request, pk)
    variant = services.variant_add(
        course=course,
        by=_user(request),
        language=payload.language,
        title=payload.title,
        summary=payload.summary,
        description=payload.description,
        translation_status=payload.translation_status,
        reviewer=_row(User, payload.reviewer_id, "reviewer_id"),
        note=payload.note,
    )
    return Status(201, variant)


@router.put(
    "/authored/{int:pk}/variants/{language}",
    response=VariantOut,
    summary="Change a language variant's texts",
)
def update_variant(
    request: HttpRequest, pk: int, language: str, payload: VariantUpdateIn
) -> CourseVariant:
    course = _course(request, pk)
    variant = next((v for v in course.variants.all() if v.language == language), None)
    if variant is None:
        raise Http404
    return services.variant_update(
        variant=variant,
        by=_user(request),
        title=payload.title,
        summary=payload.summary,
        description=payload.description,
        translation_status=payload.translation_status,
    )


# --- runs --------------------------------------------------------------------------------


def _run_data(payload: RunIn) -> services.RunData:
    return services.RunData(**payload.dict())


def _run(course: Course, run_id: int) -> Run:
    run = next((r for r in course.runs.all() if r.pk == run_id), None)
    if run is None:
        raise Http404
    return run


@router.get("/authored/{int:pk}/runs", response=list[RunOut], summary="The course's runs")
def list_authored_runs(request: HttpRequest, pk: int) -> list[Run]:
    return list(_course(request, pk).runs.all())


@router.post("/authored/{int:pk}/runs", response={201: RunOut}, summary="Add a run")
def add_run(request: HttpRequest, pk: int, payload: RunIn) -> Status[Run]:
    course = _course(request, pk)
    return Status(
        201, services.run_create(course=course, by=_user(request), data=_run_data(payload))
    )


@router.put("/authored/{int:pk}/runs/{int:run_id}", response=RunOut, summary="Change a run")
def update_run(request: HttpRequest, pk: int, run_id: int, payload: RunIn) -> Run:
    course = _course(request, pk)
    return services.run_update(run=_run(course, run_id), by=_user(request), data=_run_data(payload))


@router.delete(
    "/authored/{int:pk}/runs/{int:run_id}",
    response={204: None},
    summary="Delete a run nobody enrolled in",
)
def delete_run(request: HttpRequest, pk: int, run_id: int) -> Status[None]:
    course = _course(request, pk)
    services.run_delete(run=_run(course, run_id), by=_user(request))
    return Status(204, None)


# --- review ------------------------------------------------------------------------------


@router.post(
    "/authored/{int:pk}/submit",
    response={201: ReviewOut},
    summary="Submit the course for methodological review",
)
def submit_course(request: HttpRequest, pk: int, payload: SubmitIn) -> Status[dict[str, Any]]:
    course = _course(request, pk)
    item = reviewing.review_submit(
        course=course,
        reviewer=_row(User, payload.reviewer_id, "reviewer_id"),
        note=payload.note,
        by=_user(request),
    )
    return Status(201, _review_out(item))


@router.get("/reviews/", response=ItemsPage[ReviewOut], summary="Reviews assigned to me")
def list_reviews(
    request: HttpRequest, params: Query[Paging], pending: bool = False
) -> dict[str, Any]:
    access.require(request.user, Perm.COURSE_REVIEW_QUEUE)
    rows = selectors.review_queue(_user(request), pending_only=pending).prefetch_related(
        "scores__criterion"
    )
    return page(rows, params, lambda page_rows: [_review_out(r) for r in page_rows], key="items")


@router.post(
    "/reviews/{int:pk}/decide",
    response=ReviewOut,
    summary="Approve or request changes, with the rubric's scores",
)
def decide_review(request: HttpRequest, pk: int, payload: DecideIn) -> dict[str, Any]:
    if not 0 < pk <= MAX_ID:
        raise Http404
    item = Review.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    access.require(request.user, Perm.COURSE_REVIEW, item)
    decided = reviewing.review_decide(
        review_=item,
        verdict=payload.verdict,
        scores={s.criterion_id: (s.score, s.comment) for s in payload.scores},
        comment=payload.comment,
        by=_user(request),
    )
    return _review_out(Review.objects.prefetch_related("scores__criterion").get(pk=decided.pk))
