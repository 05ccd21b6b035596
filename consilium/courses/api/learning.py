"""Learning as JSON: enrol, my enrolments, progress, lessons done and graded quiz attempts.

All of it needs a personal token. A learner reads and changes only their own enrolments: any
other answers 403 (404 if it does not exist). Refusals (a closed or full run, a second
enrolment, tampered answers, no attempts left) are 400 with the reason, and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from consilium.core import access
from consilium.core.api import Page, Paging, page
from consilium.courses.models import CourseVariant, Enrolment, Lesson, Quiz, QuizAttempt, Run
from consilium.courses.policy import Perm
from consilium.courses.selectors import learning as selectors
from consilium.courses.services import learning as services

router = Router(tags=["courses"])


class EnrolIn(Schema):
    variant_id: int | None = Field(
        None, description="The language variant to learn in; by default the learner's language"
    )


class EnrolmentOut(Schema):
    id: int
    course_id: int
    run_id: int
    variant_id: int
    language: str
    title: str
    status: str
    progress: int
    enrolled_at: datetime
    completed_at: datetime | None
    run_starts_on: date
    run_ends_on: date | None


class LessonState(Schema):
    id: int
    module: str
    title: str
    kind: str
    required: bool
    done: bool
    quiz_id: int | None
    attempts_left: int | None


class ProgressOut(EnrolmentOut):
    lessons: list[LessonState]


class AttemptIn(Schema):
    answers: dict[int, list[int]] = Field(
        ..., description="Question id to the ids of the chosen answers"
    )


class AttemptOut(Schema):
    number: int
    score: int
    passed: bool
    submitted_at: datetime
    attempts_left: int
    enrolment: EnrolmentOut


def _enrolment_out(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "id": enrolment.pk,
        "course_id": enrolment.course_id,
        "run_id": enrolment.run_id,
        "variant_id": enrolment.variant_id,
        "language": enrolment.variant.language,
        "title": enrolment.variant.title,
        "status": enrolment.status,
        "progress": enrolment.progress,
        "enrolled_at": enrolment.enrolled_at,
        "completed_at": enrolment.completed_at,
        "run_starts_on": enrolment.run.starts_on,
        "run_ends_on": enrolment.run.ends_on,
    }


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = selectors.enrolment_detail(pk) if 0 < pk < 2**63 else None
    if enrolment is None:
        raise Http404
    access.require(request.user, Perm.COURSE_LEARN, enrolment)
    return enrolment


def _fresh(enrolment: Enrolment) -> Enrolment:
    found = selectors.enrolment_detail(enrolment.pk)
    assert found is not None
    return found


@router.post(
    "/catalog/runs/{int:pk}/enrol",
    response={201: EnrolmentOut},
    summary="Enrol in a run",
)
def enrol(request: HttpRequest, pk: int, payload: EnrolIn) -> Status[dict[str, Any]]:
    access.require(request.user, Perm.COURSE_ENROL)
    run = Run.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if run is None:
        raise Http404
    variant = None
    if payload.variant_id is not None:
        variant = CourseVariant.objects.filter(
            pk=payload.variant_id, course_id=run.course_id
        ).first()
        if variant is None:
            raise ValidationError({"variant_id": [_("Choose one of this course's languages.")]})
    enrolment = services.enrolment_create(run=run, learner=request.user, variant=variant)
    return Status(201, _enrolment_out(_fresh(enrolment)))


@router.get("/enrolments/", response=Page[EnrolmentOut], summary="My enrolments")
def list_enrolments(request: HttpRequest, params: Query[Paging]) -> dict[str, Any]:
    access.require(request.user, access.Perm.SIGNED_IN)
    qs = selectors.enrolment_list_of_person(request.user)
    return page(qs, params, lambda rows: [_enrolment_out(e) for e in rows])


@router.get("/enrolments/{int:pk}", response=ProgressOut, summary="Progress in one enrolment")
def get_progress(request: HttpRequest, pk: int) -> dict[str, Any]:
    enrolment = _enrolment(request, pk)
    modules = selectors.enrolment_outline(enrolment)
    quizzes = [
        lesson.quiz for m in modules for lesson in m.lessons.all() if hasattr(lesson, "quiz")
    ]
    used: dict[int, int] = {}
    for quiz_id in QuizAttempt.objects.filter(enrolment=enrolment, quiz__in=quizzes).values_list(
        "quiz_id", flat=True
    ):
        used[quiz_id] = used.get(quiz_id, 0) + 1
    lessons = []
    for module in modules:
        for lesson in module.lessons.all():
            quiz: Quiz | None = getattr(lesson, "quiz", None)
            lessons.append(
                {
                    "id": lesson.pk,
                    "module": module.title,
                    "title": lesson.title,
                    "kind": lesson.kind,
                    "required": lesson.required,
                    "done": lesson.done,  # type: ignore[attr-defined]
                    "quiz_id": quiz.pk if quiz else None,
                    "attempts_left": max(0, quiz.max_attempts - used.get(quiz.pk, 0))
                    if quiz
                    else None,
                }
            )
    return {**_enrolment_out(enrolment), "lessons": lessons}


@router.post(
    "/enrolments/{int:pk}/lessons/{int:lesson_id}/complete",
    response=EnrolmentOut,
    summary="Mark a lesson done",
)
def complete_lesson(request: HttpRequest, pk: int, lesson_id: int) -> dict[str, Any]:
    enrolment = _enrolment(request, pk)
    lesson = Lesson.objects.select_related("module").filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404
    services.lesson_complete(enrolment=enrolment, lesson=lesson)
    return _enrolment_out(_fresh(enrolment))


@router.post(
    "/enrolments/{int:pk}/quizzes/{int:quiz_id}/attempts",
    response={201: AttemptOut},
    summary="Submit a quiz attempt",
    description="Graded on the server; `answers` maps question ids to chosen answer ids.",
)
def submit_attempt(
    request: HttpRequest, pk: int, quiz_id: int, payload: AttemptIn
) -> Status[dict[str, Any]]:
    enrolment = _enrolment(request, pk)
    quiz = Quiz.objects.select_related("lesson__module").filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    attempt = services.quiz_submit(enrolment=enrolment, quiz=quiz, answers=payload.answers)
    return Status(
        201,
        {
            "number": attempt.number,
            "score": attempt.score,
            "passed": attempt.passed,
            "submitted_at": attempt.submitted_at,
            "attempts_left": services.quiz_attempts_left(enrolment, quiz),
            "enrolment": _enrolment_out(_fresh(enrolment)),
        },
    )


@router.post("/enrolments/{int:pk}/withdraw", response=EnrolmentOut, summary="Leave a course")
def withdraw(request: HttpRequest, pk: int) -> dict[str, Any]:
    enrolment = _enrolment(request, pk)
    services.enrolment_withdraw(enrolment=enrolment)
    return _enrolment_out(_fresh(enrolment))
