"""The review lifecycle: submit, decide with the rubric, withdraw, archive, restore; the queue."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from consilium.core.models import ContentVersion
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant
from consilium.courses import policy, testing
from consilium.courses.models import (
    Course,
    CourseStatus,
    Module,
    Review,
    ReviewScore,
    RubricCriterion,
    Verdict,
)
from consilium.courses.selectors import authoring as selectors
from consilium.courses.services import reviewing
from consilium.institutions.testing import InstitutionFactory, member
from consilium.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return InstitutionFactory()


@pytest.fixture
def author(school):
    return member(Role.COURSE_AUTHOR, school)


@pytest.fixture
def methodologist():
    return member(Role.METHODOLOGIST)


def full_scores(score: int = 4) -> dict[int, tuple[int | None, str]]:
    return {c.pk: (score, "fine") for c in RubricCriterion.objects.filter(active=True)}


def submitted(school, author, methodologist, **fields):
    course = testing.course(owner=school, status=CourseStatus.DRAFT, **fields)
    item = reviewing.review_submit(course=course, reviewer=methodologist, note="v1", by=author)
    return course, item


def test_rubric_migration_gives_six_criteria_in_four_languages():
    criteria = list(RubricCriterion.objects.all())
    assert len(criteria) == 6
    assert all(c.name_en and c.name_ru and c.name_uk and c.name_kk for c in criteria)


def test_submit_assigns_and_notifies_the_reviewer(school, author, methodologist):
    course, item = submitted(school, author, methodologist)
    course.refresh_from_db()
    assert course.status == CourseStatus.IN_REVIEW
    assert item.verdict == Verdict.PENDING and item.submitted_by == author
    note = Notification.objects.get(user=methodologist)
    assert note.url == f"/courses/reviews/{item.pk}/"


def test_submit_refusals(school, author, methodologist):
    empty = testing.course(owner=school, status=CourseStatus.DRAFT, with_content=False)
    with pytest.raises(ValidationError, match="at least one module"):
        reviewing.review_submit(course=empty, reviewer=methodologist, by=author)
    course = testing.course(owner=school, status=CourseStatus.DRAFT)
    with pytest.raises(ValidationError) as exc:
        reviewing.review_submit(course=course, reviewer=None, by=author)
    assert "reviewer" in exc.value.message_dict
    with pytest.raises(ValidationError):
        reviewing.review_submit(course=course, reviewer=member(Role.TEACHER), by=author)
    colleague = member(Role.METHODOLOGIST)
    member_ = colleague.memberships.first()
    assert member_ is not None
    course.co_authors.add(member_.institution)
    colleague.memberships.create(institution=member_.institution, role=Role.COURSE_AUTHOR)
    with pytest.raises(ValidationError, match="cannot review"):
        reviewing.review_submit(course=course, reviewer=colleague, by=author)
    reviewing.review_submit(course=course, reviewer=methodologist, by=author)
    with pytest.raises(ValidationError, match="already being reviewed"):
        reviewing.review_submit(course=course, reviewer=methodologist, by=author)
    assert Review.objects.filter(course=course).count() == 1
    archived = testing.course(owner=school, status=CourseStatus.ARCHIVED)
    with pytest.raises(ValidationError, match="cannot become"):
        reviewing.review_submit(course=archived, reviewer=methodologist, by=author)


def test_approve_publishes_keeps_scores_and_tells_authors(school, author, methodologist):
    course, item = submitted(school, author, methodologist)
    before = list(ContentVersion.objects.filter(name="courses").values_list("version", flat=True))
    decided = reviewing.review_decide(
        review_=item, verdict=Verdict.APPROVED, scores=full_scores(5), by=methodologist
    )
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED and course.published_at is not None
    assert decided.verdict == Verdict.APPROVED and decided.decided_at is not None
    assert ReviewScore.objects.filter(review=item).count() == 6
    assert Notification.objects.filter(user=author, url=f"/courses/authoring/{course.pk}/").exists()
    assert before != list(
        ContentVersion.objects.filter(name="courses").values_list("version", flat=True)
    )
    first = course.published_at
    # A later approval keeps the first publication date.
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.PUBLISHED)
    again = reviewing.review_submit(course=course, reviewer=methodologist, by=author)
    reviewing.review_decide(
        review_=again, verdict=Verdict.APPROVED, scores=full_scores(), by=methodologist
    )
    course.refresh_from_db()
    assert course.published_at == first
    assert selectors.review_last_approver(course) == methodologist


def test_request_changes_needs_comment_and_all_scores(school, author, methodologist):
    course, item = submitted(school, author, methodologist)
    with pytest.raises(ValidationError) as exc:
        reviewing.review_decide(
            review_=item, verdict=Verdict.CHANGES_REQUESTED, scores={}, by=methodologist
        )
    errors = exc.value.message_dict
    assert "comment" in errors and len([k for k in errors if k.startswith("score_")]) == 6
    scores = full_scores()
    first = next(iter(scores))
    scores[first] = (6, "")
    with pytest.raises(ValidationError) as exc:
        reviewing.review_decide(
            review_=item, verdict=Verdict.APPROVED, scores=scores, by=methodologist
        )
    assert f"score_{first}" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        reviewing.review_decide(
            review_=item, verdict="maybe", scores=full_scores(), by=methodologist
        )
    assert "verdict" in exc.value.message_dict
    assert not ReviewScore.objects.exists()
    assert Course.objects.get(pk=course.pk).status == CourseStatus.IN_REVIEW
    reviewing.review_decide(
        review_=item,
        verdict=Verdict.CHANGES_REQUESTED,
        scores=full_scores(2),
        comment="Add outcomes",
        by=methodologist,
    )
    assert Course.objects.get(pk=course.pk).status == CourseStatus.CHANGES_REQUESTED
    # The author fixes it and resubmits: a second review; both verdicts are kept.
    reviewing.review_submit(course=course, reviewer=methodologist, note="fixed", by=author)
    assert list(selectors.review_list_of_course(course).values_list("verdict", flat=True)) == [
        Verdict.PENDING,
        Verdict.CHANGES_REQUESTED,
    ]


def test_only_the_assigned_reviewer_decides_once(school, author, methodologist):
    _course, item = submitted(school, author, methodologist)
    with pytest.raises(ValidationError, match="assigned"):
        reviewing.review_decide(
            review_=item,
            verdict=Verdict.APPROVED,
            scores=full_scores(),
            by=member(Role.METHODOLOGIST),
        )
    reviewing.review_decide(
        review_=item, verdict=Verdict.APPROVED, scores=full_scores(), by=methodologist
    )
    with pytest.raises(ValidationError, match="already decided"):
        reviewing.review_decide(
            review_=item, verdict=Verdict.APPROVED, scores=full_scores(), by=methodologist
        )


def test_withdraw_archive_restore(school, author, methodologist):
    course, item = submitted(school, author, methodologist)
    reviewing.review_withdraw(course=course, by=author)
    item.refresh_from_db()
    assert item.verdict == Verdict.WITHDRAWN
    assert Course.objects.get(pk=course.pk).status == CourseStatus.DRAFT
    with pytest.raises(ValidationError):
        reviewing.review_withdraw(course=course, by=author)
    reviewing.course_archive(course=course, by=author)
    assert Course.objects.get(pk=course.pk).status == CourseStatus.ARCHIVED
    with pytest.raises(ValidationError):
        reviewing.course_archive(course=course, by=author)
    reviewing.course_restore(course=course, by=author)
    assert Course.objects.get(pk=course.pk).status == CourseStatus.DRAFT
    with pytest.raises(ValidationError):
        reviewing.course_restore(course=course, by=author)


def test_queue_pending_first(school, author, methodologist):
    _c1, decided = submitted(school, author, methodologist)
    reviewing.review_decide(
        review_=decided, verdict=Verdict.APPROVED, scores=full_scores(), by=methodologist
    )
    _c2, waiting = submitted(school, author, methodologist)
    assert list(selectors.review_queue(methodologist)) == [waiting, decided]
    assert list(selectors.review_queue(methodologist, pending_only=True)) == [waiting]
    assert list(selectors.review_queue(member(Role.METHODOLOGIST))) == []


def test_eligible_reviewers_leave_out_the_course_authors(school, author, methodologist):
    course = testing.course(owner=school)
    insider = member(Role.METHODOLOGIST, school)
    insider.memberships.create(institution=school, role=Role.COURSE_AUTHOR)
    people = list(policy.eligible_reviewers(course))
    assert methodologist in people and insider not in people and author not in people


def _queue_rows(n, school, author, methodologist):
    for _ in range(n):
        submitted(school, author, methodologist, titles={"en": "T", "ru": "Т"})


def test_review_queue_query_count(school, author, methodologist):
    def fetch() -> None:
        rows = list(selectors.review_queue(methodologist)[:20])
        [selectors.variant_title(r.course) for r in rows]

    _queue_rows(1, school, author, methodologist)
    assert_queries_constant(fetch, lambda: _queue_rows(19, school, author, methodologist))


def test_authored_query_count(school, author):
    def fetch() -> None:
        rows = list(selectors.course_list_authored(author)[:20])
        [(selectors.variant_title(c), c.owner.display_short, c.discipline.name) for c in rows]

    def add_rows() -> None:
        for _ in range(19):
            testing.course(owner=school, titles={"en": "A", "kk": "Ә"})

    testing.course(owner=school, titles={"en": "A", "kk": "Ә"})
    # warm_up: the first call reads the author's roles once and keeps them on the user.
    assert_queries_constant(fetch, add_rows, warm_up=True)
    assert len(list(selectors.course_list_authored(author, status="draft"))) == 0
    assert selectors.course_list_authored(member(Role.TEACHER, school)).count() == 0
    assert Module.objects.count() == 40
