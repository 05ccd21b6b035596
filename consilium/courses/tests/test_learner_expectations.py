"""What learners expect (issue 12): run dates gate content, empty language variants are never
offered, quizzes ask before submitting gaps and explain their results, a teacher can grant
another attempt, and "My learning" leads to the certificate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consilium.accounts.testing import UserFactory
from consilium.courses import testing
from consilium.courses.models import (
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    Quiz,
    Run,
)
from consilium.courses.services import learning

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language_after() -> Any:
    """Pages asked for in Kazakh or Russian leave that language active in this thread; the
    tests after these ones expect the site's."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _enrolment(**kwargs: Any) -> Enrolment:
    run = testing.course(**kwargs).runs.get()
    return learning.enrolment_create(run=run, learner=UserFactory())


# --- run dates gate content -------------------------------------------------------------


def test_factory_runs_have_started() -> None:
    run = testing.course().runs.get()
    assert run.starts_on <= timezone.localdate()


def test_a_lesson_cannot_be_completed_before_the_run_starts() -> None:
    enrolment = _enrolment()
    Run.objects.filter(pk=enrolment.run_id).update(
        starts_on=timezone.localdate() + timedelta(days=3)
    )
    text = Lesson.objects.get(module__variant=enrolment.variant, kind=LessonKind.TEXT)
    with pytest.raises(ValidationError, match="starts on"):
        learning.lesson_complete(enrolment=enrolment, lesson=text)
    quiz = Quiz.objects.get(lesson__module__variant=enrolment.variant)
    question = quiz.questions.get()
    with pytest.raises(ValidationError, match="starts on"):
        learning.quiz_submit(
            enrolment=enrolment,
            quiz=quiz,
            answers={question.pk: [question.choices.get(correct=True).pk]},
        )
    with pytest.raises(ValidationError, match="starts on"):
        learning.completion_check(enrolment=enrolment)
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ACTIVE


def test_the_lesson_page_says_when_the_run_starts(client) -> None:
    enrolment = _enrolment()
    Run.objects.filter(pk=enrolment.run_id).update(
        starts_on=timezone.localdate() + timedelta(days=3)
    )
    text = Lesson.objects.get(module__variant=enrolment.variant, kind=LessonKind.TEXT)
    client.force_login(enrolment.learner)
    response = client.post(f"/courses/learn/{enrolment.pk}/lessons/{text.pk}/done/", follow=True)
    assert "starts on" in response.content.decode()
    assert not enrolment.lessons_done.exists()


# --- a variant without lessons is a translation in progress -------------------------------


def _with_empty_kazakh() -> Any:
    """A published course taught in Russian whose Kazakh variant has only its title."""
    course = testing.course(titles={"ru": "Этика", "kk": "Этика (kk)"})
    kk = course.variants.get(language="kk")
    Lesson.objects.filter(module__variant=kk).delete()
    kk.modules.all().delete()
    return course


def test_the_course_page_shows_the_syllabus_of_a_taught_variant(client) -> None:
    course = _with_empty_kazakh()
    client.force_login(UserFactory(language="kk"))
    page = client.get(f"/courses/{course.pk}/?lang=kk").content.decode()
    assert "Этика (kk)" in page  # the Kazakh title
    assert "Lesson 1" in page  # the Russian syllabus
    assert 'data-testid="title-only"' in page
    ru = course.variants.get(language="ru")
    kk = course.variants.get(language="kk")
    assert f'name="variant" value="{ru.pk}"' in page
    assert f'name="variant" value="{kk.pk}"' not in page


def test_an_empty_variant_is_refused_for_enrolment_and_learning(client) -> None:
    course = _with_empty_kazakh()
    run = course.runs.get()
    kk = course.variants.get(language="kk")
    learner = UserFactory(language="en")
    with pytest.raises(ValidationError, match="no lessons yet"):
        learning.enrolment_create(run=run, learner=learner, variant=kk)
    # By default a Kazakh reader is enrolled in the taught (Russian) variant.
    enrolment = learning.enrolment_create(run=run, learner=learner)
    assert enrolment.variant.language == "ru"
    with pytest.raises(ValidationError, match="no lessons yet"):
        learning.variant_choose(enrolment=enrolment, variant=kk)
    # The form: the empty variant is not among the choices and is refused with the message.
    client.force_login(learner)
    page = client.get(f"/courses/learn/{enrolment.pk}/").content.decode()
    assert f'value="{kk.pk}"' not in page
    response = client.post(
        f"/courses/learn/{enrolment.pk}/variant/", {"variant": kk.pk}, follow=True
    )
    assert "no lessons yet" in response.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).variant.language == "ru"


def test_the_api_refuses_an_empty_variant() -> None:
    from django.test import Client

    from consilium.accounts.services import api_token_create

    course = _with_empty_kazakh()
    learner = UserFactory()
    _token, raw = api_token_create(user=learner, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.post(
        f"/api/v1/courses/catalog/runs/{course.runs.get().pk}/enrol",
        {"variant_id": course.variants.get(language="kk").pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "no lessons yet" in response.content.decode()
    assert not Enrolment.objects.filter(learner=learner).exists()


def test_a_methodologist_cannot_approve_a_variant_without_lessons() -> None:
    from consilium.core.roles import Role
    from consilium.courses.models import CourseStatus, RubricCriterion, Verdict
    from consilium.courses.services import reviewing
    from consilium.institutions.testing import InstitutionFactory, member

    school = InstitutionFactory()
    author = member(Role.COURSE_AUTHOR, school)
    methodologist = member(Role.METHODOLOGIST)
    course = testing.course(
        owner=school, status=CourseStatus.DRAFT, titles={"ru": "Этика", "kk": "Этика (kk)"}
    )
    kk = course.variants.get(language="kk")
    kk.modules.all().delete()
    item = reviewing.review_submit(course=course, reviewer=methodologist, by=author)
    scores = {c.pk: (4, "") for c in RubricCriterion.objects.filter(active=True)}
    with pytest.raises(ValidationError, match="Kazakh") as exc:
        reviewing.review_decide(
            review_=item, verdict=Verdict.APPROVED, scores=scores, by=methodologist
        )
    assert "verdict" in exc.value.message_dict
    course.refresh_from_db()
    assert course.status == CourseStatus.IN_REVIEW
    # Marked as a translation in progress, the empty variant is a title only: approval goes on.
    kk.translation_status = "in_progress"
    kk.save()
    reviewing.review_decide(review_=item, verdict=Verdict.APPROVED, scores=scores, by=methodologist)
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED


def test_approval_is_refused_when_no_variant_has_lessons() -> None:
    from consilium.core.roles import Role
    from consilium.courses.models import RubricCriterion, Verdict
    from consilium.courses.services import reviewing
    from consilium.institutions.testing import InstitutionFactory, member

    school = InstitutionFactory()
    author = member(Role.COURSE_AUTHOR, school)
    methodologist = member(Role.METHODOLOGIST)
    course = testing.course(owner=school, status="draft", titles={"ru": "Этика"})
    item = reviewing.review_submit(course=course, reviewer=methodologist, by=author)
    ru = course.variants.get()
    Lesson.objects.filter(module__variant=ru).delete()
    ru.translation_status = "in_progress"
    ru.save()
    scores = {c.pk: (4, "") for c in RubricCriterion.objects.filter(active=True)}
    with pytest.raises(ValidationError, match="Russian"):
        reviewing.review_decide(
            review_=item, verdict=Verdict.APPROVED, scores=scores, by=methodologist
        )


# --- quizzes ------------------------------------------------------------------------------


def _two_question_enrolment() -> tuple[Enrolment, Quiz]:
    from consilium.courses.models import Choice, Question

    enrolment = _enrolment()
    quiz = Quiz.objects.get(lesson__module__variant=enrolment.variant)
    first = quiz.questions.get()
    first.explanation = "The first is first."
    first.save()
    second = Question.objects.create(quiz=quiz, position=2, text="Pick the second")
    Choice.objects.create(question=second, position=1, text="One", correct=False)
    Choice.objects.create(question=second, position=2, text="Two", correct=True)
    return enrolment, quiz


def test_gaps_are_asked_about_first_and_an_empty_quiz_uses_no_attempt(client) -> None:
    from consilium.courses.models import QuizAttempt

    enrolment, quiz = _two_question_enrolment()
    first = quiz.questions.get(position=1)
    client.force_login(enrolment.learner)
    url = f"/courses/learn/{enrolment.pk}/lessons/{quiz.lesson_id}/quiz/"
    # Nothing answered: refused, no attempt used.
    page = client.post(url, {}).content.decode()
    assert "Answer at least one question" in page
    # One of two answered: the page asks first, says how many are unanswered, keeps the answer.
    right = first.choices.get(correct=True).pk
    page = client.post(url, {f"q{first.pk}": right}).content.decode()
    assert 'data-testid="quiz-unanswered"' in page and "1 question is not answered" in page
    assert 'name="confirm"' in page and "checked" in page
    assert not QuizAttempt.objects.filter(enrolment=enrolment).exists()
    # Submit anyway: graded, one attempt, the result shows each question and the feedback.
    response = client.post(url, {f"q{first.pk}": right, "confirm": "1"})
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    assert attempt.score == 50
    result = client.get(response["Location"]).content.decode()
    assert "The first is first." in result
    assert "Right" in result and "Not answered" in result
    assert learning.quiz_attempts_left(enrolment, quiz) == 1


def test_the_service_refuses_an_empty_submission() -> None:
    enrolment, quiz = _two_question_enrolment()
    with pytest.raises(ValidationError, match="Answer at least one question"):
        learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers={})
    assert learning.quiz_attempts_left(enrolment, quiz) == quiz.max_attempts


def test_attempts_used_up_say_what_to_do_and_a_teacher_grants_one_more(client) -> None:
    from consilium.core.roles import Role
    from consilium.courses.models import QuizAttemptGrant
    from consilium.institutions.testing import member

    enrolment, quiz = _two_question_enrolment()
    wrong = {q.pk: [q.choices.get(correct=False).pk] for q in quiz.questions.all()}
    for _n in range(quiz.max_attempts):
        learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers=wrong)
    client.force_login(enrolment.learner)
    url = f"/courses/learn/{enrolment.pk}/lessons/{quiz.lesson_id}/quiz/"
    assert "Contact your teacher" in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="Contact your teacher"):
        learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers=wrong)
    # The roster offers the teacher to grant one more; an observer of the network cannot.
    teacher = member(Role.TEACHER, enrolment.course.owner)
    client.force_login(teacher)
    roster = client.get(f"/courses/{enrolment.course_id}/statistics/").content.decode()
    grant_url = f"/courses/learners/{enrolment.pk}/quizzes/{quiz.pk}/grant/"
    assert grant_url in roster
    assert client.post(grant_url).status_code == 302
    grant = QuizAttemptGrant.objects.get(enrolment=enrolment, quiz=quiz)
    assert grant.granted_by == teacher and grant.granted_at is not None
    assert learning.quiz_attempts_left(enrolment, quiz) == 1
    # Nothing more to grant while an attempt is left.
    with pytest.raises(ValidationError, match="still has attempts"):
        learning.quiz_attempt_grant(enrolment=enrolment, quiz=quiz, by=teacher)
    client.force_login(member(Role.MINISTRY_OBSERVER))
    assert client.post(grant_url).status_code == 403
    # The learner retries.
    right = {q.pk: [q.choices.get(correct=True).pk] for q in quiz.questions.all()}
    attempt = learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers=right)
    assert attempt.passed and attempt.number == quiz.max_attempts + 1
