"""The methodological review of courses: submit, decide, withdraw, archive and restore.

Each step is a transition of ``review.TRANSITIONS``; anything else is refused with a clear
message. Every verdict is kept: a review row per submission, with its scores per rubric
criterion. The reviewer is told when a course is assigned to them, the authors when it is
decided (``notifications.services.notification_send``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consilium.accounts.models import User
from consilium.core import public_cache
from consilium.core.roles import Role
from consilium.core.services import read_only, service
from consilium.courses import policy, review
from consilium.courses.models import (
    Course,
    CourseStatus,
    CourseVariant,
    Lesson,
    Review,
    ReviewScore,
    RubricCriterion,
    TranslationStatus,
    Verdict,
)
from consilium.courses.versions import CATALOG
from consilium.notifications.services import notification_send


def _transition(course: Course, to: str) -> None:
    review.MACHINE.check(course.status, to)
    course.status = to


@read_only
def course_institution_ids(course: Course) -> set[int]:
    return {course.owner_id, *course.co_authors.values_list("pk", flat=True)}


@read_only
def course_authors(course: Course) -> list[User]:
    """The course authors at the course's owner and co-authoring institutions."""
    return list(
        User.objects.filter(
            memberships__institution_id__in=course_institution_ids(course),
            memberships__role=Role.COURSE_AUTHOR,
            is_active=True,
        ).distinct()
    )


@read_only
def review_check_reviewer(course: Course, reviewer: User | None) -> User:
    """A methodologist (anywhere) who is not a course author at the course's institutions."""
    if reviewer is None:
        raise ValidationError({"reviewer": [_("Choose the methodologist who will review it.")]})
    if not policy.is_methodologist(reviewer):
        raise ValidationError({"reviewer": [_("Choose a methodologist from the list.")]})
    if policy.authors_at(reviewer, course_institution_ids(course)):
        raise ValidationError(
            {
                "reviewer": [
                    _("A course author of this course cannot review it; choose someone else.")
                ]
            }
        )
    return reviewer


@read_only
def course_original_title(course: Course) -> str:
    """The title in the original language (the one every course has)."""
    return CourseVariant.objects.filter(
        course=course, language=course.original_language
    ).values_list("title", flat=True).first() or str(course)


@service
def review_submit(*, course: Course, reviewer: User | None, note: str = "", by: User) -> Review:
    """Send the course to ``reviewer``; it is in review until they decide or it is withdrawn."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    reviewer = review_check_reviewer(course, reviewer)
    if course.status == CourseStatus.IN_REVIEW:
        raise ValidationError(_("The course is already being reviewed."))
    if not Lesson.objects.filter(
        module__variant__course=course, module__variant__language=course.original_language
    ).exists():
        raise ValidationError(
            _("Add at least one module with a lesson in the original language before review.")
        )
    was_public = course.status == CourseStatus.PUBLISHED
    _transition(course, CourseStatus.IN_REVIEW)
    course.save(update_fields=["status", "updated_at"])
    submitted = Review.objects.create(
        course=course,
        reviewer=reviewer,
        submitted_by=by,
        submitted_at=timezone.now(),
        note=note.strip(),
    )
    if was_public:
        public_cache.bump(CATALOG)
    title = course_original_title(course)
    notification_send(
        users=[reviewer],
        message=partial(_assigned_message, title),
        url=reverse("courses:review", args=[submitted.pk]),
        subject=gettext_lazy("A course to review"),
    )
    return submitted


def _assigned_message(title: str) -> str:
    return _("“%(title)s” was sent to you for methodological review.") % {"title": title}


def _decided_message(title: str, approved: bool) -> str:
    if approved:
        return _("“%(title)s” was approved by the methodologist and is published.") % {
            "title": title
        }
    return _("The methodologist asked for changes to “%(title)s”.") % {"title": title}


def _variants_without_lessons(course: Course) -> list[str]:
    """The names (in the reader's language) of the variants that approval would publish with
    nothing to teach.

    Approval covers the variants that will be offered, those with lessons. A variant without
    lessons that its authors marked "translation in progress" is published as a title only
    (never offered for enrolment or learning) and is not in the way; one marked anything else
    (original, translated, needs updating) claims content it does not have and stops approval,
    and so does a course with no lessons in any variant."""
    with_lessons = set(
        Lesson.objects.filter(module__variant__course=course).values_list(
            "module__variant_id", flat=True
        )
    )
    variants = list(CourseVariant.objects.filter(course=course).order_by("language"))
    return [
        str(translation.get_language_info(v.language)["name_translated"])
        for v in variants
        if v.pk not in with_lessons
        and (v.translation_status != TranslationStatus.IN_PROGRESS or not with_lessons)
    ]


@service
def review_decide(
    *,
    review_: Review,
    verdict: str,
    scores: Mapping[int, tuple[int | None, str]],
    comment: str = "",
    by: User,
) -> Review:
    """Approve (publish) or request changes, with a score for every active rubric criterion.

    ``scores`` maps a criterion's id to (score, comment).
    """
    locked = Review.objects.select_for_update().get(pk=review_.pk)
    if locked.reviewer_id != by.pk:
        raise ValidationError(_("Only the methodologist the course was assigned to decides."))
    if locked.verdict != Verdict.PENDING:
        raise ValidationError(_("This review is already decided."))
    course = Course.objects.select_for_update().get(pk=locked.course_id)
    errors: dict[str, list[str]] = {}
    if verdict not in (Verdict.APPROVED, Verdict.CHANGES_REQUESTED):
        errors["verdict"] = [_("Approve the course or request changes.")]
    if verdict == Verdict.APPROVED:
        empty = _variants_without_lessons(course)
        if empty:
            errors["verdict"] = [
                _(
                    "The course cannot be approved: these language versions have no lessons:"
                    " %(languages)s. Ask the authors to add their lessons, or to mark them"
                    " as translations in progress (shown as a title only)."
                )
                % {"languages": ", ".join(empty)}
            ]
    comment = comment.strip()
    if verdict == Verdict.CHANGES_REQUESTED and not comment:
        errors["comment"] = [_("Say what should change.")]
    rows: list[ReviewScore] = []
    for criterion in RubricCriterion.objects.filter(active=True):
        score, note = scores.get(criterion.pk, (None, ""))
        if score is None or not 0 <= score <= criterion.max_score:
            errors[f"score_{criterion.pk}"] = [
                _("Give a score from 0 to %(max)s.") % {"max": criterion.max_score}
            ]
            continue
        rows.append(
            ReviewScore(review=locked, criterion=criterion, score=score, comment=note.strip())
        )
    if errors:
        raise ValidationError(errors)
    to = CourseStatus.PUBLISHED if verdict == Verdict.APPROVED else CourseStatus.CHANGES_REQUESTED
    _transition(course, to)
    if to == CourseStatus.PUBLISHED and course.published_at is None:
        course.published_at = timezone.now()
    course.save(update_fields=["status", "published_at", "updated_at"])
    ReviewScore.objects.bulk_create(rows)
    locked.verdict, locked.comment, locked.decided_at = verdict, comment, timezone.now()
    locked.save(update_fields=["verdict", "comment", "decided_at"])
    public_cache.bump(CATALOG)
    notification_send(
        users=course_authors(course),
        message=partial(
            _decided_message, course_original_title(course), to == CourseStatus.PUBLISHED
        ),
        url=reverse("courses:edit", args=[course.pk]),
        subject=gettext_lazy("Your course was reviewed"),
    )
    return locked


@service
def review_withdraw(*, course: Course, by: User) -> Course:
    """Take the course back from review: it becomes a draft (and leaves the catalog)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    pending = Review.objects.select_for_update().filter(course=course, verdict=Verdict.PENDING)
    _transition(course, CourseStatus.DRAFT)
    course.save(update_fields=["status", "updated_at"])
    pending.update(verdict=Verdict.WITHDRAWN, decided_at=timezone.now())
    if course.published_at is not None:
        public_cache.bump(CATALOG)
    return course


@service
def course_archive(*, course: Course, by: User) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    _transition(course, CourseStatus.ARCHIVED)
    course.save(update_fields=["status", "updated_at"])
    public_cache.bump(CATALOG)
    return course


@service
def course_restore(*, course: Course, by: User) -> Course:
    """An archived course comes back as a draft; it is published again only after review."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    _transition(course, CourseStatus.DRAFT)
    course.save(update_fields=["status", "updated_at"])
    return course
