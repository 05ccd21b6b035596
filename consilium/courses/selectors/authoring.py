"""Reads of course authoring and review: what an author works on, what a methodologist reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from consilium.accounts.models import User
from consilium.core.languages import pick
from consilium.courses.models import (
    Choice,
    Course,
    CourseStatus,
    Lesson,
    Module,
    Question,
    Review,
    ReviewScore,
    Run,
)
from consilium.courses.policy import authorable_institutions, editable_courses
from consilium.institutions.models import Institution


def institution_list_for_author(user: Any) -> QuerySet[Institution]:
    """The institutions the user may create courses for, by name."""
    return authorable_institutions(user).order_by("name_en")


def course_list_authored(user: Any, *, status: str = "") -> QuerySet[Course]:
    """Courses the user may edit (their institutions' own and co-authored ones), newest first,
    with owner and variants loaded; filtered by ``status`` when it is one of the statuses."""
    rows = editable_courses(user)
    if status in CourseStatus.values:
        rows = rows.filter(status=status)
    return (
        rows.select_related("owner", "discipline")
        .prefetch_related("variants")
        .order_by("-updated_at", "-id")
    )


def course_detail_for_edit(pk: int) -> Course:
    """One course with everything its workspace shows (raises Course.DoesNotExist)."""
    lessons = Lesson.objects.select_related("quiz").prefetch_related(
        Prefetch(
            "quiz__questions",
            queryset=Question.objects.prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
            ),
        )
    )
    return (
        Course.objects.select_related("owner", "discipline", "created_by")
        .prefetch_related(
            "co_authors",
            "variants",
            Prefetch(
                "variants__modules",
                queryset=Module.objects.prefetch_related(Prefetch("lessons", queryset=lessons)),
            ),
            Prefetch("runs", queryset=Run.objects.order_by("starts_on", "id")),
        )
        .get(pk=pk)
    )


def review_list_of_course(course: Course) -> QuerySet[Review]:
    """Every review of the course, newest first, with reviewer and scores."""
    return (
        Review.objects.filter(course=course)
        .select_related("reviewer", "submitted_by")
        .prefetch_related(
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
        )
        .order_by("-submitted_at", "-id")
    )


def review_queue(user: User, *, pending_only: bool = False) -> QuerySet[Review]:
    """The reviews assigned to this methodologist: waiting ones first (oldest first), then
    decided ones (latest first)."""
    rows = Review.objects.filter(reviewer=user)
    if pending_only:
        rows = rows.filter(verdict="pending")
    return (
        rows.select_related("course", "course__owner", "submitted_by")
        .prefetch_related("course__variants")
        .annotate(
            waiting=Case(
                When(verdict="pending", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-decided_at", "submitted_at", "id")
    )


def review_detail_for_decision(pk: int) -> Review:
    return Review.objects.select_related("course", "course__owner", "submitted_by").get(pk=pk)


def review_last_approver(course: Course) -> User | None:
    """The methodologist of the latest approving review (the default for the next review)."""
    latest = (
        Review.objects.filter(course=course, verdict="approved")
        .select_related("reviewer")
        .order_by("-decided_at")
        .first()
    )
    return latest.reviewer if latest else None


def variant_title(course: Course, language: str | None = None) -> str:
    """The title in ``language`` (the reader's) or the first of its fallbacks that the course
    has (``core.languages``: one order everywhere), from prefetched variants."""
    chosen = pick({v.language: v for v in course.variants.all()}, language)
    return chosen.title if chosen else str(course)
