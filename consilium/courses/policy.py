"""Who may do what in the course bank, and which courses and enrolments one may see.

Registered into ``consilium.core.access`` by ``CoursesConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from consilium.accounts.models import User
from consilium.core import access
from consilium.core.access import AnyUser, Grants, institution_id
from consilium.core.roles import Role
from consilium.courses.models import Course, CourseStatus, Enrolment
from consilium.institutions.models import Institution, Membership


class Perm(StrEnum):
    COURSE_CATALOG = "course.catalog"
    COURSE_VIEW = "course.view"
    COURSE_CREATE = "course.create"
    COURSE_AUTHOR = "course.author"
    COURSE_REVIEW = "course.review"
    COURSE_REVIEW_QUEUE = "course.review_queue"
    COURSE_LEARNERS = "course.learners"
    COURSE_ATTEMPT_GRANT = "course.attempt_grant"
    COURSE_ENROL = "course.enrol"
    COURSE_LEARN = "course.learn"
    STATS_INSTITUTION = "course.stats.institution"
    STATS_NETWORK = "course.stats.network"


AUTHOR_ROLES = frozenset({Role.COURSE_AUTHOR})
# Who follows an institution's learners: its teachers, authors and administrators.
TEACHING_ROLES = frozenset({Role.TEACHER, Role.COURSE_AUTHOR, Role.INSTITUTION_ADMIN})


def _course_institution_ids(course: Any) -> set[int]:
    """The owner and co-authoring institutions (uses prefetched co-authors if there)."""
    return {course.owner_id, *(i.pk for i in course.co_authors.all())}


# --- rules -------------------------------------------------------------------------------


def creates_courses(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is None (anywhere) or the owner institution the course would belong to."""
    if g.is_network_admin:
        return True
    if obj is None:
        return any(roles & AUTHOR_ROLES for roles in g.by_institution.values())
    return bool(g.at(institution_id(obj)) & AUTHOR_ROLES)


def authors_course(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.is_network_admin:
        return True
    return any(g.at(pk) & AUTHOR_ROLES for pk in _course_institution_ids(obj))


def reads_course(user: AnyUser, g: Grants, obj: Any) -> bool:
    """Published courses are public; drafts are for their authors, reviewers and the network."""
    if obj.status == "published" or g.reads_network:
        return True
    if any(g.at(pk) & (AUTHOR_ROLES | TEACHING_ROLES) for pk in _course_institution_ids(obj)):
        return True
    return bool(
        user.is_authenticated
        and Role.METHODOLOGIST in g.anywhere()
        and obj.reviews.filter(reviewer=user).exists()
    )


def reviews(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Review: only the methodologist it is assigned to."""
    return Role.METHODOLOGIST in g.anywhere() and obj.reviewer_id == user.pk


def methodologist(user: AnyUser, g: Grants, obj: Any) -> bool:
    return Role.METHODOLOGIST in g.anywhere()


def follows_learners(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Course: its institutions' teachers, authors and administrators."""
    if g.reads_network:
        return True
    return any(g.at(pk) & TEACHING_ROLES for pk in _course_institution_ids(obj))


def teaches_course(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Course: its institutions' teachers, authors and administrators (and the
    network administrator), who may give a learner another quiz attempt."""
    if g.is_network_admin:
        return True
    return any(g.at(pk) & TEACHING_ROLES for pk in _course_institution_ids(obj))


def own_enrolment(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and obj.learner_id == user.pk)


def institution_statistics(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is an Institution: its administrators, authors, teachers; the network readers."""
    if g.reads_network:
        return True
    return bool(g.at(institution_id(obj)) & TEACHING_ROLES)


RULES: dict[StrEnum, access.Rule] = {
    Perm.COURSE_CATALOG: access.public,
    Perm.COURSE_VIEW: reads_course,
    Perm.COURSE_CREATE: creates_courses,
    Perm.COURSE_AUTHOR: authors_course,
    Perm.COURSE_REVIEW: reviews,
    Perm.COURSE_REVIEW_QUEUE: methodologist,
    Perm.COURSE_LEARNERS: follows_learners,
    Perm.COURSE_ATTEMPT_GRANT: teaches_course,
    Perm.COURSE_ENROL: access.signed_in,
    Perm.COURSE_LEARN: own_enrolment,
    Perm.STATS_INSTITUTION: institution_statistics,
    Perm.STATS_NETWORK: access.network_reader,
}


# --- authors and reviewers ---------------------------------------------------------------


def author_institution_ids(user: AnyUser) -> list[int]:
    """Institutions where the user is a course author, by id."""
    return sorted(access.grants(user).holding(AUTHOR_ROLES))


def authorable_institutions(user: AnyUser) -> QuerySet[Institution]:
    """The institutions this user may create courses for (``course.create`` on each)."""
    if access.grants(user).is_network_admin:
        return Institution.objects.all()
    return Institution.objects.filter(pk__in=author_institution_ids(user))


def is_methodologist(user: User) -> bool:
    """May be asked to review a course: an active methodologist, at any institution."""
    return user.is_active and Membership.objects.filter(user=user, role=Role.METHODOLOGIST).exists()


def authors_at(user: User, institution_ids: Iterable[int]) -> bool:
    """A course author at one of these institutions (who may not review their courses)."""
    return Membership.objects.filter(
        user=user, role=Role.COURSE_AUTHOR, institution_id__in=list(institution_ids)
    ).exists()


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


# --- rows --------------------------------------------------------------------------------


def visible_courses(user: AnyUser) -> QuerySet[Course]:
    """Everyone sees published courses; authors and teachers their institutions' own; a
    methodologist the courses assigned to them; the network readers all of them."""
    g = access.grants(user)
    if g.reads_network:
        return Course.objects.all()
    published = Q(status=CourseStatus.PUBLISHED)
    if not user.is_authenticated:
        return Course.objects.filter(published)
    own = g.holding(AUTHOR_ROLES | TEACHING_ROLES)
    condition = published
    if own:
        condition |= Q(owner_id__in=own) | Q(co_authors__in=own)
    if Role.METHODOLOGIST in g.anywhere():
        condition |= Q(reviews__reviewer=user)
    if condition is published:
        return Course.objects.filter(published)
    return Course.objects.filter(pk__in=Course.objects.filter(condition).values("pk"))


def editable_courses(user: AnyUser) -> QuerySet[Course]:
    """The courses this user may author (``course.author``): their institutions' own and
    co-authored ones; every course for a network administrator."""
    g = access.grants(user)
    if g.is_network_admin:
        return Course.objects.all()
    ids = author_institution_ids(user)
    if not ids:
        return Course.objects.none()
    return Course.objects.filter(
        pk__in=Course.objects.filter(Q(owner_id__in=ids) | Q(co_authors__in=ids)).values("pk")
    )


def visible_enrolments(user: AnyUser) -> QuerySet[Enrolment]:
    """A learner sees their own enrolments (``course.learn``); the teachers, authors and
    administrators of a course's institutions see its learners' (``course.learners``); the
    network readers all of them."""
    g = access.grants(user)
    if g.reads_network:
        return Enrolment.objects.all()
    if not user.is_authenticated:
        return Enrolment.objects.none()
    own = Q(learner_id=user.pk)
    teaching = g.holding(TEACHING_ROLES)
    if not teaching:
        return Enrolment.objects.filter(own)
    followed = Course.objects.filter(Q(owner_id__in=teaching) | Q(co_authors__in=teaching))
    return Enrolment.objects.filter(own | Q(course_id__in=followed.values("pk")))


def register() -> None:
    access.register_rules(RULES)
    access.register_scope(Course, visible_courses)
    access.register_scope(Enrolment, visible_enrolments)
