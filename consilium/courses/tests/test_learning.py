"""Learning: lessons done, quizzes graded on the server, completion once, privacy, pages, API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from consilium.accounts.services import api_token_create
from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.courses import signals, testing
from consilium.courses.models import (
    Choice,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    Question,
    Quiz,
    QuizAttempt,
)
from consilium.courses.services import learning
from consilium.institutions.testing import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The enrolment ids ``signals.course_completed`` announces, heard by this listener only
    (the certificates app's receiver is set aside: no certificate is issued here)."""
    heard: list[int] = []

    def remember(sender: Any, *, enrolment_id: int, **kwargs: Any) -> None:
        heard.append(enrolment_id)

    monkeypatch.setattr(signals.course_completed, "receivers", [])
    monkeypatch.setattr(signals.course_completed, "sender_receivers_cache", {})
    signals.course_completed.connect(remember, weak=False)
    return heard


def api(user: Any) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def enrolment() -> Enrolment:
    run = testing.course(titles={"en": "Ethics", "kk": "Этика"}).runs.get()
    return learning.enrolment_create(
        run=run, learner=UserFactory(), variant=run.course.variants.get(language="en")
    )


def parts(enrolment: Enrolment) -> tuple[Lesson, Quiz, Question]:
    text = Lesson.objects.get(module__variant=enrolment.variant, kind=LessonKind.TEXT)
    quiz = Quiz.objects.get(lesson__module__variant=enrolment.variant)
    return text, quiz, quiz.questions.get()


def right(question: Question) -> int:
    return question.choices.get(correct=True).pk


def wrong(question: Question) -> int:
    return question.choices.get(correct=False).pk


# --- services ------------------------------------------------------------------------------


def test_lessons_and_a_passed_quiz_complete_the_course(
    enrolment, completions, django_capture_on_commit_callbacks
) -> None:
    text, quiz, question = parts(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = learning.lesson_complete(enrolment=enrolment, lesson=text)
        assert enrolment.progress == 50
        learning.lesson_complete(enrolment=enrolment, lesson=text)  # again: no change
        attempt = learning.quiz_submit(
            enrolment=enrolment, quiz=quiz, answers={question.pk: [right(question)]}
        )
        assert completions == []  # announced once the completion commits
    assert attempt.score == 100 and attempt.passed and attempt.number == 1
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.progress == 100
    assert enrolment.completed_at is not None
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1
    assert [enrolment.pk] == completions


def test_completion_is_recorded_once_even_if_checked_twice(
    enrolment, completions, django_capture_on_commit_callbacks
) -> None:
    text, quiz, _question = parts(enrolment)
    LessonProgress.objects.create(
        enrolment=enrolment, lesson=text, completed_at=enrolment.enrolled_at
    )
    QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        number=1,
        score=100,
        passed=True,
        submitted_at=enrolment.enrolled_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = learning.completion_check(enrolment=enrolment)
        stamp = first.completed_at
        second = learning.completion_check(enrolment=enrolment)
        learning.lesson_complete(enrolment=enrolment, lesson=text)
    assert first.status == second.status == EnrolmentStatus.COMPLETED
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at == stamp
    assert [enrolment.pk] == completions


def test_incomplete_course_is_not_completed(enrolment) -> None:
    text, _quiz, _question = parts(enrolment)
    learning.lesson_complete(enrolment=enrolment, lesson=text)
    assert learning.completion_check(enrolment=enrolment).status == EnrolmentStatus.ACTIVE


def test_optional_lessons_do_not_block_completion(enrolment) -> None:
    text, quiz, _question = parts(enrolment)
    Lesson.objects.filter(pk=quiz.lesson_id).update(required=False)
    learning.lesson_complete(enrolment=enrolment, lesson=text)
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.COMPLETED


def test_failed_quiz_counts_an_attempt_and_does_not_complete(enrolment) -> None:
    _text, quiz, question = parts(enrolment)
    attempt = learning.quiz_submit(
        enrolment=enrolment, quiz=quiz, answers={question.pk: [wrong(question)]}
    )
    assert attempt.score == 0 and not attempt.passed
    # Nothing answered is refused and uses no attempt (issue 12); a wrong answer again does.
    with pytest.raises(ValidationError, match="Answer at least one question"):
        learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers={})
    assert learning.quiz_attempts_left(enrolment, quiz) == 1
    again = learning.quiz_submit(
        enrolment=enrolment, quiz=quiz, answers={question.pk: [wrong(question)]}
    )
    assert again.score == 0 and again.number == 2
    assert learning.quiz_attempts_left(enrolment, quiz) == 0


def _tampered(enrolment: Enrolment, quiz: Quiz, answers: Any, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers=answers)
    assert message in " ".join(exc.value.messages)
    assert not QuizAttempt.objects.filter(enrolment=enrolment).exists()
    assert Enrolment.objects.get(pk=enrolment.pk).progress == 0


def test_tampered_answers_change_nothing(enrolment) -> None:
    _text, quiz, question = parts(enrolment)
    foreign = Choice.objects.exclude(question=question).first()
    other_quiz = testing.course().variants.get().modules.get().lessons.get(kind="quiz").quiz
    foreign_question = other_quiz.questions.get()
    _tampered(enrolment, quiz, {question.pk: [foreign.pk]}, "not valid")
    _tampered(enrolment, quiz, {foreign_question.pk: [right(foreign_question)]}, "not valid")
    _tampered(
        enrolment, quiz, {question.pk: [right(question), wrong(question)]}, "takes one answer"
    )
    _tampered(enrolment, quiz, {question.pk: [right(question), right(question)]}, "not valid")
    _tampered(enrolment, quiz, {question.pk: "1"}, "not valid")
    _tampered(enrolment, quiz, {str(question.pk): [right(question)]}, "not valid")
    # A quiz of another course, or of the other language variant of this one.
    _tampered(enrolment, other_quiz, {foreign_question.pk: [right(foreign_question)]}, "not part")
    kk_quiz = Quiz.objects.get(
        lesson__module__variant__course=enrolment.course, lesson__module__variant__language="kk"
    )
    _tampered(enrolment, kk_quiz, {}, "not part")


def test_several_answers_when_the_question_allows(enrolment) -> None:
    _text, quiz, question = parts(enrolment)
    Question.objects.filter(pk=question.pk).update(multiple=True)
    Choice.objects.filter(question=question).update(correct=True)
    ids = list(question.choices.values_list("pk", flat=True))
    assert learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers={question.pk: ids}).passed


def test_attempts_beyond_the_limit_are_refused(enrolment) -> None:
    _text, quiz, question = parts(enrolment)
    for _ in range(quiz.max_attempts):
        learning.quiz_submit(
            enrolment=enrolment, quiz=quiz, answers={question.pk: [wrong(question)]}
        )
    with pytest.raises(ValidationError, match="No attempts are left"):
        learning.quiz_submit(
            enrolment=enrolment, quiz=quiz, answers={question.pk: [right(question)]}
        )
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == quiz.max_attempts
    assert not QuizAttempt.objects.filter(passed=True).exists()


def test_a_passed_quiz_is_not_retaken(enrolment) -> None:
    _text, quiz, question = parts(enrolment)
    learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers={question.pk: [right(question)]})
    with pytest.raises(ValidationError, match="already passed"):
        learning.quiz_submit(
            enrolment=enrolment, quiz=quiz, answers={question.pk: [wrong(question)]}
        )


def test_quiz_cannot_be_marked_done_and_foreign_lessons_are_refused(enrolment) -> None:
    _text, quiz, _question = parts(enrolment)
    with pytest.raises(ValidationError, match="passing it"):
        learning.lesson_complete(enrolment=enrolment, lesson=quiz.lesson)
    kk_text = Lesson.objects.get(
        module__variant__language="kk", module__variant__course=enrolment.course, kind="text"
    )
    with pytest.raises(ValidationError, match="not part"):
        learning.lesson_complete(enrolment=enrolment, lesson=kk_text)
    assert not LessonProgress.objects.exists()


def test_withdrawn_learner_cannot_go_on(enrolment) -> None:
    text, _quiz, _question = parts(enrolment)
    learning.enrolment_withdraw(enrolment=enrolment)
    with pytest.raises(ValidationError, match="withdrawn"):
        learning.lesson_complete(enrolment=enrolment, lesson=text)


def test_switching_variant_counts_progress_on_the_new_one(enrolment) -> None:
    text, _quiz, _question = parts(enrolment)
    learning.lesson_complete(enrolment=enrolment, lesson=text)
    kk = enrolment.course.variants.get(language="kk")
    enrolment = learning.variant_choose(enrolment=enrolment, variant=kk)
    assert enrolment.variant == kk and enrolment.progress == 0
    with pytest.raises(ValidationError):
        learning.variant_choose(enrolment=enrolment, variant=testing.course().variants.get())


# --- pages ---------------------------------------------------------------------------------


def test_learner_walks_through_the_pages(client, enrolment) -> None:
    client.force_login(enrolment.learner)
    text, quiz, question = parts(enrolment)
    learn = reverse("courses:learn", args=[enrolment.pk])
    page = client.get(learn).content.decode()
    assert "Lesson 1" in page and "Mark as done" in page and "<p>Hi</p>" in page
    response = client.post(reverse("courses:lesson_done", args=[enrolment.pk, text.pk]))
    assert response.url == f"{learn}?lesson={quiz.lesson_id}"
    quiz_url = reverse("courses:quiz", args=[enrolment.pk, quiz.lesson_id])
    page = client.get(quiz_url).content.decode()
    assert "Pick the first" in page and "2 attempts left" in page
    response = client.post(quiz_url, {f"q{question.pk}": str(wrong(question))})
    first = QuizAttempt.objects.get(enrolment=enrolment)
    assert response.url == reverse("courses:quiz_result", args=[enrolment.pk, first.pk])
    page = client.get(response.url).content.decode()
    assert "0%" in page and "Try again (1 attempt left)" in page
    response = client.post(quiz_url, {f"q{question.pk}": str(right(question))}, follow=True)
    page = response.content.decode()
    assert "Passed" in page and "Course completed" in page
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "Ethics" in page and "Completed" in page
    page = client.get(learn).content.decode()
    assert "Course completed" in page


def test_quiz_page_refuses_a_foreign_choice(client, enrolment) -> None:
    client.force_login(enrolment.learner)
    _text, quiz, question = parts(enrolment)
    url = reverse("courses:quiz", args=[enrolment.pk, quiz.lesson_id])
    foreign = Choice.objects.exclude(question=question).first()
    response = client.post(url, {f"q{question.pk}": str(foreign.pk)})
    assert response.status_code == 200
    assert "Choose one of the answers shown." in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_others_cannot_open_an_enrolment(client, enrolment) -> None:
    text, quiz, _question = parts(enrolment)
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("courses:learn", args=[enrolment.pk])).status_code == 403
    assert (
        client.post(reverse("courses:lesson_done", args=[enrolment.pk, text.pk])).status_code == 403
    )
    assert (
        client.get(reverse("courses:quiz", args=[enrolment.pk, quiz.lesson_id])).status_code == 403
    )
    assert client.get(reverse("courses:learn", args=[999999])).status_code == 404
    assert stranger.pk not in [e.learner_id for e in Enrolment.objects.all()]
    assert "Ethics" not in client.get(reverse("courses:my_learning")).content.decode()
    assert not LessonProgress.objects.exists()
    other = api(stranger)
    assert other.get(f"/api/v1/courses/enrolments/{enrolment.pk}").status_code == 403
    assert (
        other.post(
            f"/api/v1/courses/enrolments/{enrolment.pk}/lessons/{text.pk}/complete"
        ).status_code
        == 403
    )
    assert other.get("/api/v1/courses/enrolments/").json()["count"] == 0
    anonymous = Client()
    assert anonymous.get(reverse("courses:my_learning")).status_code == 302
    assert anonymous.get("/api/v1/courses/enrolments/").status_code == 403


def test_lesson_file_only_for_learners_and_staff(client, enrolment) -> None:
    module = enrolment.variant.modules.get()
    lesson = Lesson(module=module, position=3, title="Slides", kind=LessonKind.FILE)
    lesson.file.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=True)
    url = reverse("courses:lesson_file", args=[lesson.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(enrolment.learner)
    response = client.get(url)
    assert (
        response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    )
    client.force_login(member(Role.COURSE_AUTHOR, enrolment.course.owner))
    assert client.get(url).status_code == 200


def test_my_learning_query_count_does_not_grow(client) -> None:
    learner = UserFactory()
    client.force_login(learner)

    def enrol_in_one() -> None:
        run = testing.course().runs.get()
        learning.enrolment_create(run=run, learner=learner)

    def add_rows() -> None:
        for _ in range(19):
            enrol_in_one()

    enrol_in_one()
    fetch = get_ok(client, reverse("courses:my_learning"))
    page = assert_queries_constant(fetch, add_rows, warm_up=True).result.content.decode()
    assert page.count("Next:") == 20


def test_api_my_enrolments_query_count_does_not_grow() -> None:
    learner = UserFactory()
    client = api(learner)

    def add_rows() -> None:
        for _ in range(19):
            learning.enrolment_create(run=testing.course().runs.get(), learner=learner)

    learning.enrolment_create(run=testing.course().runs.get(), learner=learner)
    # warm_up: the token's first use is noted once.
    fetch = get_ok(client, "/api/v1/courses/enrolments/")
    data = assert_queries_constant(fetch, add_rows, warm_up=True).result.json()
    assert data["count"] == 20


# --- API -----------------------------------------------------------------------------------


def test_api_progress_lessons_and_quiz(enrolment) -> None:
    client = api(enrolment.learner)
    text, quiz, question = parts(enrolment)
    base = f"/api/v1/courses/enrolments/{enrolment.pk}"
    data = client.get(base).json()
    assert [lesson["done"] for lesson in data["lessons"]] == [False, False]
    assert data["lessons"][1]["quiz_id"] == quiz.pk and data["lessons"][1]["attempts_left"] == 2
    assert client.post(f"{base}/lessons/{text.pk}/complete").json()["progress"] == 50
    assert client.post(f"{base}/lessons/{quiz.lesson_id}/complete").status_code == 400
    assert client.post(f"{base}/lessons/999999/complete").status_code == 404
    attempts = f"{base}/quizzes/{quiz.pk}/attempts"
    foreign = Choice.objects.exclude(question=question).first()
    bad = client.post(
        attempts, {"answers": {str(question.pk): [foreign.pk]}}, content_type="application/json"
    )
    assert bad.status_code == 400 and "not valid" in bad.json()["errors"]["__all__"][0]
    bad = client.post(attempts, {"answers": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert not QuizAttempt.objects.exists()
    good = client.post(
        attempts,
        {"answers": {str(question.pk): [right(question)]}},
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    body = good.json()
    assert body["passed"] and body["score"] == 100
    assert body["enrolment"]["status"] == "completed"
    assert client.get(base).json()["lessons"][1]["done"] is True


def test_video_lesson_shows_a_player_for_a_known_address(client, enrolment) -> None:
    module = enrolment.variant.modules.get()
    video = Lesson.objects.create(
        module=module,
        position=3,
        title="Lecture",
        kind=LessonKind.VIDEO,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    client.force_login(enrolment.learner)
    page = client.get(reverse("courses:learn", args=[enrolment.pk]), {"lesson": video.pk})
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page.content.decode()
