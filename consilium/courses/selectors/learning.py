"""Reads of a learner's own learning: enrolments, progress, the next lesson, quiz attempts.

Learners see only their own enrolments: every selector starts from the person's rows among
those the policy lets them see (``policy.visible_enrolments``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from consilium.courses.models import (
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    Module,
    Quiz,
    QuizAttempt,
    QuizAttemptGrant,
)
from consilium.courses.policy import visible_enrolments
from consilium.courses.services.learning import enrolment_lessons_done


def enrolment_list_of_person(user: Any) -> QuerySet[Enrolment]:
    """The person's enrolments (withdrawn ones left out), the newest first."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return (
        visible_enrolments(user)
        .filter(learner_id=user.pk)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("run", "variant", "course__owner")
        .order_by("-enrolled_at", "-id")
    )


def enrolment_current(user: Any, course_id: int) -> Enrolment | None:
    """The person's current enrolment in a course, if any."""
    if not user.is_authenticated:
        return None
    return enrolment_list_of_person(user).filter(course_id=course_id).first()


def enrolment_detail(pk: int) -> Enrolment | None:
    """One enrolment with its course, run and variant (access is checked by the caller)."""
    return Enrolment.objects.select_related("run", "variant", "course__owner").filter(pk=pk).first()


def enrolment_outline(enrolment: Enrolment) -> list[Module]:
    """The modules of the enrolment's variant, each lesson marked ``done``."""
    done = enrolment_lessons_done(enrolment)
    modules = list(
        Module.objects.filter(variant_id=enrolment.variant_id).prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.select_related("quiz"))
        )
    )
    for module in modules:
        for lesson in module.lessons.all():
            lesson.done = lesson.pk in done  # type: ignore[attr-defined]
    return modules


def lesson_next(modules: list[Module]) -> Lesson | None:
    """The first lesson not done yet (from ``enrolment_outline``)."""
    for module in modules:
        for lesson in module.lessons.all():
            if not getattr(lesson, "done", False):
                return lesson
    return None


def lesson_next_per_enrolment(enrolments: list[Enrolment]) -> dict[int, Lesson]:
    """The first lesson not done of each enrolment, in a fixed number of queries."""
    variant_ids = {e.variant_id for e in enrolments}
    lessons = list(
        Lesson.objects.filter(module__variant_id__in=variant_ids)
        .select_related("module")
        .order_by("module__position", "module_id", "position", "id")
    )
    ids = [e.pk for e in enrolments]
    done: set[tuple[int, int]] = set(
        LessonProgress.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", "lesson_id")
    )
    done |= set(
        QuizAttempt.objects.filter(enrolment_id__in=ids, passed=True).values_list(
            "enrolment_id", "quiz__lesson_id"
        )
    )
    result: dict[int, Lesson] = {}
    for enrolment in enrolments:
        for lesson in lessons:
            if (
                lesson.module.variant_id == enrolment.variant_id
                and (enrolment.pk, lesson.pk) not in done
            ):
                result[enrolment.pk] = lesson
                break
    return result


def attempt_list(enrolment: Enrolment, quiz: Quiz) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz).order_by("number")


@dataclass(frozen=True)
class AnswerReview:
    """One question of a graded attempt, as the result page shows it."""

    number: int
    text: str
    chosen: list[str]
    answered: bool
    right: bool
    explanation: str


def attempt_review(attempt: QuizAttempt) -> list[AnswerReview]:
    """Each question of the attempt's quiz: what the learner chose, right or wrong (graded as
    ``services.learning`` grades: exactly the right choices), and the question's explanation."""
    rows: list[AnswerReview] = []
    questions = attempt.quiz.questions.prefetch_related("choices")
    for number, question in enumerate(questions, start=1):
        choices = list(question.choices.all())
        picked = set(attempt.answers.get(str(question.pk), []))
        correct = {c.pk for c in choices if c.correct}
        rows.append(
            AnswerReview(
                number=number,
                text=question.text,
                chosen=[c.text for c in choices if c.pk in picked],
                answered=bool(picked),
                right=bool(picked) and picked == correct,
                explanation=question.explanation,
            )
        )
    return rows


def quiz_list_exhausted(enrolments: list[Enrolment]) -> dict[int, list[Quiz]]:
    """For each active enrolment, the quizzes of its variant it has not passed and has no
    attempt left at (the roster offers a teacher to grant one more), in a fixed number of
    queries."""
    active = [e for e in enrolments if e.status == EnrolmentStatus.ACTIVE]
    if not active:
        return {}
    ids = [e.pk for e in active]
    used: dict[tuple[int, int], int] = {
        (row["enrolment_id"], row["quiz_id"]): row["n"]
        for row in QuizAttempt.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id", "quiz_id")
        .annotate(n=Count("id"))
    }
    passed = set(
        QuizAttempt.objects.filter(enrolment_id__in=ids, passed=True).values_list(
            "enrolment_id", "quiz_id"
        )
    )
    granted: dict[tuple[int, int], int] = {
        (row["enrolment_id"], row["quiz_id"]): row["n"]
        for row in QuizAttemptGrant.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id", "quiz_id")
        .annotate(n=Count("id"))
    }
    quizzes = list(
        Quiz.objects.filter(lesson__module__variant_id__in={e.variant_id for e in active})
        .select_related("lesson__module")
        .order_by("lesson__module__position", "lesson__position", "id")
    )
    result: dict[int, list[Quiz]] = {}
    for enrolment in active:
        for quiz in quizzes:
            key = (enrolment.pk, quiz.pk)
            if (
                quiz.lesson.module.variant_id == enrolment.variant_id
                and key not in passed
                and used.get(key, 0) >= quiz.max_attempts + granted.get(key, 0)
            ):
                result.setdefault(enrolment.pk, []).append(quiz)
    return result
