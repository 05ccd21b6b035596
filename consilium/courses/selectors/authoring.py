"""Reads of course authoring and review: what an author works on, what a methodologist reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from consilium.accounts.models import User
from consilium.core import access
from consilium.core.access import AUTHOR_ROLES
from consilium.core.roles import Role
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
from consilium.institutions.models import Institution, Membership


def author_institution_ids(user: Any) -> list[int]:
    """Institutions where the user is a course author."""
    g = access.grants(user)
    return sorted(pk for pk, roles in g.by_institution.items() if roles & AUTHOR_ROLES)


def author_institutions(user: Any) -> QuerySet[Institution]:
    if access.grants(user).is_network_admin:
        return Institution.objects.order_by("name_en")
    return Institution.objects.filter(pk__in=author_institution_ids(user)).order_by("name_en")


def authored_courses(user: Any, *, status: str = "") -> QuerySet[Course]:
    """Courses the user may edit (their institutions' own and co-authored ones), newest first,
    with owner and variants loaded; filtered by ``status`` when it is one of the statuses."""
    if access.grants(user).is_network_admin:
        rows = Course.objects.all()
    else:
        ids = author_institution_ids(user)
        if not ids:
            return Course.objects.none()
        rows = Course.objects.filter(
            pk__in=Course.objects.filter(Q(owner_id__in=ids) | Q(co_authors__in=ids)).values("pk")
        )
    if status in CourseStatus.values:
        rows = rows.filter(status=status)
    return (
        rows.select_related("owner", "discipline")
        .prefetch_related("variants")
        .order_by("-updated_at", "-id")
    )


def course_for_edit(pk: int) -> Course:
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


def course_reviews(course: Course) -> QuerySet[Review]:
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


def review_for_decision(pk: int) -> Review:
    return Review.objects.select_related("course", "course__owner", "submitted_by").get(pk=pk)


def eligible_reviewers(course: Course | None = None) -> QuerySet[User]:
    """Methodologists of the network, except course authors of the course's institutions."""
    rows = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(role=Role.METHODOLOGIST).values("user_id"),
    )
    if course is not None and course.pk:
        ids = {course.owner_id, *course.co_authors.values_list("pk", flat=True)}
        rows = rows.exclude(
            pk__in=Membership.objects.filter(
                role=Role.COURSE_AUTHOR, institution_id__in=ids
            ).values("user_id")
        )
    return rows.order_by("full_name", "email")


def last_approver(course: Course) -> User | None:
    """The methodologist of the latest approving review (the default for the next review)."""
    latest = (
        Review.objects.filter(course=course, verdict="approved")
        .select_related("reviewer")
        .order_by("-decided_at")
        .first()
    )
    return latest.reviewer if latest else None


def variant_title(course: Course, language: str | None = None) -> str:
    """The title in ``language`` or else the original language, from prefetched variants."""
    variants = {v.language: v for v in course.variants.all()}
    chosen = variants.get(language or "") or variants.get(course.original_language)
    if chosen is None and variants:
        chosen = next(iter(variants.values()))
    return chosen.title if chosen else str(course)
