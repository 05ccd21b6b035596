"""Journeys of what learners expect (issue 12).

1. A course taught in Russian has a Kazakh title only: a Kazakh reader sees the Russian
   syllabus with a note saying so, and the only enrolment offered is in Russian; in the
   course, Kazakh is not offered as the language of study.
2. A learner submits a quiz with a question left unanswered: the page asks first, says how
   many are unanswered and offers "submit anyway"; the result shows each question right or
   wrong with its explanation.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from consilium.accounts.testing import PASSWORD, UserFactory
from consilium.courses import testing
from consilium.courses.models import Choice, Enrolment, Lesson, Question, Quiz
from consilium.courses.services import learning


def _signed_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    """Sign in through a session cookie (these journeys are not about the sign-in form)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.e2e
def test_an_empty_variant_is_never_offered(page, live_server, transactional_db):  # type: ignore[no-untyped-def]
    course = testing.course(titles={"ru": "Клиническая этика", "kk": "Клиникалық этика"})
    kk = course.variants.get(language="kk")
    kk.modules.all().delete()
    learner = UserFactory(email="aigerim@example.kz", language="en")
    learner.set_password(PASSWORD)
    learner.save()
    _signed_in(page, live_server, learner)

    page.goto(f"/courses/{course.pk}/?lang=kk")
    expect(page.locator("main h1")).to_have_text("Клиникалық этика")
    expect(page.locator("[data-testid=title-only]")).to_contain_text("Taught in Russian")
    expect(page.locator("main")).to_contain_text("Lesson 1")  # the Russian syllabus
    enrol = page.locator("form[action$='/enrol/'] button")
    expect(enrol).to_have_count(1)
    expect(enrol).to_contain_text("Русский")
    enrol.click()
    expect(page).to_have_url(re.compile(r"/courses/learn/\d+/"))
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.variant.language == "ru"
    # Kazakh is not among the languages of study.
    expect(page.locator(f"select[name=variant] option[value='{kk.pk}']")).to_have_count(0)


@pytest.mark.e2e
def test_a_quiz_with_gaps_asks_first(page, live_server, transactional_db):  # type: ignore[no-untyped-def]
    course = testing.course(titles={"en": "Ethics"})
    learner = UserFactory(email="dana@example.kz", language="en")
    learner.set_password(PASSWORD)
    learner.save()
    enrolment = learning.enrolment_create(run=course.runs.get(), learner=learner)
    quiz = Quiz.objects.get(lesson__module__variant=enrolment.variant)
    first = quiz.questions.get()
    first.explanation = "The first answer is the first."
    first.save()
    second = Question.objects.create(quiz=quiz, position=2, text="Pick the second")
    Choice.objects.create(question=second, position=1, text="One", correct=False)
    Choice.objects.create(question=second, position=2, text="Two", correct=True)
    lesson = Lesson.objects.get(pk=quiz.lesson_id)
    _signed_in(page, live_server, learner)

    page.goto(f"/courses/learn/{enrolment.pk}/lessons/{lesson.pk}/quiz/")
    page.get_by_label("First").check()
    page.get_by_role("button", name="Submit answers").click()
    warning = page.locator("[data-testid=quiz-unanswered]")
    expect(warning).to_contain_text("1 question is not answered")
    assert not enrolment.attempts.exists()
    expect(page.get_by_label("First")).to_be_checked()  # the answer is kept
    page.locator("[data-testid=submit-anyway]").click()
    expect(page).to_have_url(re.compile(r"/courses/learn/\d+/attempts/\d+/"))
    answers = page.locator("[data-testid=answers]")
    expect(answers).to_contain_text("Right")
    expect(answers).to_contain_text("Not answered")
    expect(answers).to_contain_text("The first answer is the first.")
    assert enrolment.attempts.count() == 1
