"""Authoring and review pages: GET and POST, bad input, who may open them, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant
from consilium.courses import testing
from consilium.courses.models import (
    Course,
    CourseStatus,
    Lesson,
    Module,
    Question,
    Review,
    RubricCriterion,
    Run,
    Verdict,
)
from consilium.courses.services import reviewing
from consilium.institutions.testing import InstitutionFactory, member

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


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(school):
    return testing.course(owner=school, status=CourseStatus.DRAFT)


def test_anonymous_is_sent_to_sign_in_and_strangers_get_403(school):
    course = draft(school)
    response = Client().get(reverse("courses:edit", args=[course.pk]))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    stranger = member(Role.COURSE_AUTHOR)
    assert login(stranger).get(reverse("courses:edit", args=[course.pk])).status_code == 403
    assert login(member(Role.LEARNER)).get(reverse("courses:authored")).status_code == 403
    assert login(stranger).get(reverse("courses:edit", args=[999999])).status_code == 404


def test_authored_list_filters_and_counts_queries(school, author):
    client = login(author)
    draft(school)
    testing.course(owner=school, titles={"en": "Published one"})
    response = client.get(reverse("courses:authored"))
    assert response.status_code == 200
    assert b"Published one" in response.content
    response = client.get(reverse("courses:authored") + "?status=draft")
    assert b"Published one" not in response.content

    def fetch() -> None:
        assert client.get(reverse("courses:authored")).status_code == 200

    def add_rows() -> None:
        for _ in range(20):
            testing.course(owner=school, titles={"en": "Another", "ru": "Другой"})

    assert_queries_constant(fetch, add_rows)


def test_create_course_page(school, author):
    client = login(author)
    assert client.get(reverse("courses:create")).status_code == 200
    data = {
        "owner": school.pk,
        "discipline": testing.discipline().pk,
        "audience": "nurses",
        "level": "introductory",
        "hours": "0",
        "credits": "-1",
        "language": "kk",
        "title": "",
    }
    response = client.post(reverse("courses:create"), data)
    assert response.status_code == 200
    assert not Course.objects.exists()
    form = response.context["form"]
    assert {"hours", "credits", "title"} <= set(form.errors)
    data.update(hours="8", credits="0.5", title="Мейірбике ісі", description="<script>x</script>")
    response = client.post(reverse("courses:create"), data)
    course = Course.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/courses/authoring/{course.pk}/"
    )
    assert course.variants.get().description == ""
    other = InstitutionFactory()
    response = client.post(reverse("courses:create"), {**data, "owner": other.pk})
    assert response.status_code == 200 and Course.objects.count() == 1


def test_workspace_shows_every_part(school, author):
    course = draft(school)
    response = login(author).get(reverse("courses:edit", args=[course.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Module 1", "Lesson 1", "Quiz", "Submit for review", "Add a run"):
        assert text in body


def test_settings_conflict_keeps_the_input(school, author):
    course = draft(school)
    client = login(author)
    data = {
        "discipline": course.discipline_id,
        "audience": "students",
        "level": "introductory",
        "hours": "50",
        "credits": "0",
        "tags": "mine",
        "revision": "1",
    }
    Course.objects.filter(pk=course.pk).update(revision=2)
    response = client.post(reverse("courses:edit", args=[course.pk]), data)
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    assert response.context["settings_form"].data["hours"] == "50"
    assert response.context["settings_form"].data["revision"] == "2"
    assert Course.objects.get(pk=course.pk).hours == 36
    response = client.post(reverse("courses:edit", args=[course.pk]), {**data, "revision": "2"})
    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).hours == 50


def test_published_settings_change_asks_for_a_methodologist(school, author, methodologist):
    course = testing.course(owner=school)
    client = login(author)
    data = {
        "discipline": course.discipline_id,
        "audience": "students",
        "level": "introductory",
        "hours": "10",
        "credits": "0",
        "revision": "1",
    }
    response = client.post(reverse("courses:edit", args=[course.pk]), data)
    assert response.status_code == 200
    assert "reviewer" in response.context["settings_form"].errors
    response = client.post(
        reverse("courses:edit", args=[course.pk]), {**data, "reviewer": methodologist.pk}
    )
    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).status == CourseStatus.IN_REVIEW


def test_variant_module_lesson_flow(school, author):
    course = draft(school)
    client = login(author)
    url = reverse("courses:variant_add", args=[course.pk])
    response = client.post(
        url,
        {
            "variant-language": "ru",
            "variant-title": "",
            "variant-translation_status": "in_progress",
        },
    )
    assert response.status_code == 302 and course.variants.count() == 1
    client.post(
        url,
        {
            "variant-language": "ru",
            "variant-title": "Персонализация",
            "variant-translation_status": "in_progress",
        },
    )
    variant = course.variants.get(language="ru")
    response = client.get(reverse("courses:variant_edit", args=[course.pk, variant.pk]))
    assert response.status_code == 200
    client.post(
        reverse("courses:variant_edit", args=[course.pk, variant.pk]),
        {"title": "Персонализация 2", "translation_status": "complete"},
    )
    variant.refresh_from_db()
    assert variant.title == "Персонализация 2" and variant.translation_status == "complete"

    response = client.post(
        reverse("courses:module_add", args=[course.pk]),
        {"language": "ru", "module-title": "Введение"},
    )
    assert response.status_code == 302 and "variant=ru" in response["Location"]
    module = Module.objects.get(variant=variant)
    response = client.post(
        reverse("courses:module_add", args=[course.pk]), {"language": "de", "module-title": "X"}
    )
    assert response.status_code == 404

    add = reverse("courses:lesson_add", args=[course.pk, module.pk])
    assert client.get(add + "?kind=video").status_code == 200
    response = client.post(add, {"kind": "text", "title": "T", "body": "<script>only()</script>"})
    assert response.status_code == 200 and "body" in response.context["form"].errors
    response = client.post(
        add, {"kind": "text", "title": "T", "body": '<p onclick="x()">Hello</p>', "required": "on"}
    )
    lesson = Lesson.objects.get(module=module)
    assert lesson.body == "<p>Hello</p>"
    response = client.post(
        add,
        {"kind": "file", "title": "F", "file": SimpleUploadedFile("x.pdf", b"<html>not pdf")},
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors
    response = client.post(
        add, {"kind": "file", "title": "F", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.7 ok")}
    )
    assert response.status_code == 302
    preview = client.get(reverse("courses:lesson_preview", args=[course.pk, lesson.pk]))
    assert preview.status_code == 200 and b"<p>Hello</p>" in preview.content

    response = client.post(
        reverse("courses:lesson_move", args=[course.pk, lesson.pk]), {"direction": "down"}
    )
    assert list(module.lessons.values_list("title", flat=True)) == ["F", "T"]
    response = client.post(
        reverse("courses:lesson_move", args=[course.pk, lesson.pk]), {"direction": "left"}
    )
    assert response.status_code == 302
    assert (
        client.get(reverse("courses:lesson_edit", args=[course.pk, lesson.pk])).status_code == 200
    )
    client.post(
        reverse("courses:lesson_edit", args=[course.pk, lesson.pk]),
        {"title": "Text", "body": "<p>New</p>", "required": ""},
    )
    lesson.refresh_from_db()
    assert lesson.title == "Text" and lesson.required is False
    assert (
        client.get(reverse("courses:lesson_delete", args=[course.pk, lesson.pk])).status_code == 200
    )
    client.post(reverse("courses:lesson_delete", args=[course.pk, lesson.pk]))
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    client.post(reverse("courses:module_edit", args=[course.pk, module.pk]), {"title": "Начало"})
    assert Module.objects.get(pk=module.pk).title == "Начало"
    client.post(reverse("courses:module_move", args=[course.pk, module.pk]), {"direction": "up"})
    client.post(reverse("courses:module_delete", args=[course.pk, module.pk]))
    assert not Module.objects.filter(pk=module.pk).exists()


def test_item_of_another_course_is_404(school, author):
    course = draft(school)
    other = draft(school)
    lesson = Lesson.objects.filter(module__variant__course=other).first()
    response = login(author).get(reverse("courses:lesson_edit", args=[course.pk, lesson.pk]))
    assert response.status_code == 404


def test_quiz_and_questions(school, author):
    course = draft(school)
    client = login(author)
    lesson = Lesson.objects.get(module__variant__course=course, kind="quiz")
    url = reverse("courses:quiz_edit", args=[course.pk, lesson.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"passing_score": "0", "max_attempts": "1"})
    assert response.status_code == 200 and "passing_score" in response.context["form"].errors
    client.post(url, {"passing_score": "80", "max_attempts": "5"})
    lesson.quiz.refresh_from_db()
    assert (lesson.quiz.passing_score, lesson.quiz.max_attempts) == (80, 5)
    add = reverse("courses:question_add", args=[course.pk, lesson.pk])
    assert client.get(add).status_code == 200
    response = client.post(
        add, {"text": "Q?", "choice_1": "a", "correct_1": "on", "choice_2": "b", "correct_2": "on"}
    )
    assert response.status_code == 200 and "exactly one" in response.content.decode()
    client.post(add, {"text": "Q?", "choice_1": "a", "correct_1": "on", "choice_2": "b"})
    question = Question.objects.filter(quiz=lesson.quiz).last()
    assert question is not None and question.choices.count() == 2
    edit = reverse("courses:question_edit", args=[course.pk, question.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {
            "text": "Q2?",
            "multiple": "on",
            "choice_1": "a",
            "correct_1": "on",
            "choice_2": "b",
            "correct_2": "on",
        },
    )
    question.refresh_from_db()
    assert question.multiple and question.choices.filter(correct=True).count() == 2
    client.post(reverse("courses:question_delete", args=[course.pk, question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()
    text_lesson = Lesson.objects.get(module__variant__course=course, kind="text")
    assert (
        client.get(reverse("courses:quiz_edit", args=[course.pk, text_lesson.pk])).status_code
        == 404
    )


def test_runs_pages(school, author):
    course = draft(school)
    client = login(author)
    today = timezone.localdate()
    data = {
        "run-starts_on": (today + timedelta(days=5)).isoformat(),
        "run-ends_on": today.isoformat(),
        "run-enrolment_opens_on": today.isoformat(),
        "run-pacing": "self_paced",
    }
    response = client.post(reverse("courses:run_add", args=[course.pk]), data, follow=True)
    assert "cannot end before" in response.content.decode()
    assert course.runs.count() == 1
    data["run-ends_on"] = ""
    client.post(reverse("courses:run_add", args=[course.pk]), data)
    run = course.runs.order_by("-id").first()
    assert run is not None and run.pacing == "self_paced"
    edit = reverse("courses:run_edit", args=[course.pk, run.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"starts_on": "nonsense", "enrolment_opens_on": today.isoformat(), "pacing": "scheduled"},
    )
    assert response.status_code == 200 and "starts_on" in response.context["form"].errors
    Run.objects.filter(pk=run.pk).update(enrolled=1)
    response = client.post(reverse("courses:run_delete", args=[course.pk, run.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    Run.objects.filter(pk=run.pk).update(enrolled=0)
    client.post(reverse("courses:run_delete", args=[course.pk, run.pk]))
    assert not Run.objects.filter(pk=run.pk).exists()
    assert client.get(reverse("courses:run_add", args=[course.pk])).status_code == 405


def test_submit_review_and_decide_pages(school, author, methodologist):
    course = draft(school)
    client = login(author)
    response = client.post(
        reverse("courses:review_submit", args=[course.pk]), {"reviewer": ""}, follow=True
    )
    assert Course.objects.get(pk=course.pk).status == CourseStatus.DRAFT
    client.post(
        reverse("courses:review_submit", args=[course.pk]),
        {"reviewer": methodologist.pk, "note": "please"},
    )
    item = Review.objects.get(course=course)
    assert Course.objects.get(pk=course.pk).status == CourseStatus.IN_REVIEW

    reviewer = login(methodologist)
    queue = reviewer.get(reverse("courses:review_queue"))
    assert queue.status_code == 200 and b"Personalisation" in queue.content
    page = reviewer.get(reverse("courses:review", args=[item.pk]))
    assert page.status_code == 200
    assert b"Lesson 1" in page.content and b"Pick the first" in page.content
    assert (
        login(member(Role.METHODOLOGIST)).get(reverse("courses:review", args=[item.pk])).status_code
        == 403
    )
    assert client.get(reverse("courses:review", args=[item.pk])).status_code == 403

    criteria = list(RubricCriterion.objects.filter(active=True))
    response = reviewer.post(
        reverse("courses:review", args=[item.pk]), {"verdict": "changes_requested"}
    )
    assert response.status_code == 200
    assert Review.objects.get(pk=item.pk).verdict == Verdict.PENDING
    data = {"verdict": "changes_requested", "comment": ""}
    data.update({f"score_{c.pk}": "3" for c in criteria})
    response = reviewer.post(reverse("courses:review", args=[item.pk]), data)
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    data.update(comment="Clarify outcomes", **{f"comment_{criteria[0].pk}": "vague"})
    response = reviewer.post(reverse("courses:review", args=[item.pk]), data)
    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).status == CourseStatus.CHANGES_REQUESTED
    again = reviewer.post(reverse("courses:review", args=[item.pk]), data, follow=True)
    assert "already decided" in again.content.decode()
    workspace = client.get(reverse("courses:edit", args=[course.pk])).content.decode()
    assert "Clarify outcomes" in workspace and "vague" in workspace


def test_withdraw_archive_restore_pages(school, author, methodologist):
    course = draft(school)
    reviewing.review_submit(course=course, reviewer=methodologist, by=author)
    client = login(author)
    client.post(reverse("courses:review_withdraw", args=[course.pk]))
    assert Course.objects.get(pk=course.pk).status == CourseStatus.DRAFT
    response = client.post(reverse("courses:review_withdraw", args=[course.pk]), follow=True)
    assert "cannot become" in response.content.decode()
    client.post(reverse("courses:archive", args=[course.pk]))
    assert Course.objects.get(pk=course.pk).status == CourseStatus.ARCHIVED
    client.post(reverse("courses:restore", args=[course.pk]))
    assert Course.objects.get(pk=course.pk).status == CourseStatus.DRAFT


def test_review_queue_page_query_count(school, author, methodologist):
    client = login(methodologist)

    def add() -> None:
        course = draft(school)
        reviewing.review_submit(course=course, reviewer=methodologist, by=author)

    def fetch() -> None:
        assert client.get(reverse("courses:review_queue")).status_code == 200

    def add_rows() -> None:
        for _ in range(19):
            add()

    add()
    assert_queries_constant(fetch, add_rows)
    assert login(author).get(reverse("courses:review_queue")).status_code == 403


def test_admin_lists_courses_read_only_and_rubric(school):
    from consilium.accounts.testing import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    course = draft(school)
    client = login(admin_user)
    assert client.get("/admin/courses/course/").status_code == 200
    assert client.get(f"/admin/courses/course/{course.pk}/change/").status_code == 200
    assert client.get("/admin/courses/course/add/").status_code == 403
    assert client.get("/admin/courses/rubriccriterion/").status_code == 200
    assert client.get("/admin/courses/review/").status_code == 200


def _said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_every_part_says_what_it_did_and_comes_back_where_it_belongs(school, author):
    """The parts' views are built from one table per kind: each still answers with its own
    message and comes back to its own place in the workspace (or the quiz page)."""
    course = draft(school)
    client = login(author)
    workspace = f"/courses/authoring/{course.pk}/"
    content = f"{workspace}?variant=en#content"
    module = Module.objects.get(variant__course=course)
    text = Lesson.objects.get(module=module, kind="text")
    quiz_lesson = Lesson.objects.get(module=module, kind="quiz")
    quiz_page = f"{workspace}lessons/{quiz_lesson.pk}/quiz/"
    question = Question.objects.get(quiz__lesson=quiz_lesson)
    run = Run.objects.get(course=course)
    today = timezone.localdate()
    run_data = {
        "starts_on": (today + timedelta(days=5)).isoformat(),
        "enrolment_opens_on": today.isoformat(),
        "pacing": "scheduled",
    }
    steps = [
        (
            "variant_add",
            [course.pk],
            {
                "variant-language": "ru",
                "variant-title": "Т",
                "variant-translation_status": "in_progress",
            },
            f"{workspace}#variants",
            "The Русский variant is added.",
        ),
        (
            "variant_edit",
            [course.pk, course.variants.get(language="en").pk],
            {"title": "T", "translation_status": "original"},
            f"{workspace}#variants",
            "The variant is saved.",
        ),
        (
            "module_add",
            [course.pk],
            {"language": "en", "module-title": "Module 2"},
            content,
            "The module is added.",
        ),
        ("module_edit", [course.pk, module.pk], {"title": "M"}, content, "The module is saved."),
        (
            "module_move",
            [course.pk, module.pk],
            {"direction": "down"},
            content,
            "The module is moved.",
        ),
        (
            "lesson_add",
            [course.pk, module.pk],
            {"kind": "quiz", "title": "Q2"},
            None,  # a new quiz lesson goes on to its questions
            "The lesson is added.",
        ),
        (
            "lesson_edit",
            [course.pk, text.pk],
            {"title": "L", "body": "<p>B</p>"},
            content,
            "The lesson is saved.",
        ),
        ("lesson_move", [course.pk, text.pk], {"direction": "up"}, content, "The lesson is moved."),
        (
            "question_add",
            [course.pk, quiz_lesson.pk],
            {"text": "Q?", "choice_1": "a", "correct_1": "on", "choice_2": "b"},
            quiz_page,
            "The question is added.",
        ),
        (
            "question_edit",
            [course.pk, question.pk],
            {"text": "Q!", "choice_1": "a", "correct_1": "on", "choice_2": "b"},
            quiz_page,
            "The question is saved.",
        ),
        ("question_delete", [course.pk, question.pk], {}, quiz_page, "The question is removed."),
        (
            "run_add",
            [course.pk],
            {f"run-{k}": v for k, v in run_data.items()},
            f"{workspace}#runs",
            "The run is added.",
        ),
        ("run_edit", [course.pk, run.pk], run_data, f"{workspace}#runs", "The run is saved."),
        ("run_delete", [course.pk, run.pk], {}, f"{workspace}#runs", "The run is deleted."),
        ("lesson_delete", [course.pk, text.pk], {}, content, "The lesson is removed."),
        (
            "module_delete",
            [course.pk, module.pk],
            {},
            content,
            "The module and its lessons are removed.",
        ),
    ]
    for name, args, data, location, message in steps:
        response = client.post(reverse(f"courses:{name}", args=args), data)
        assert response.status_code == 302, name
        if location is None:
            location = f"{workspace}lessons/{Lesson.objects.get(title='Q2').pk}/quiz/"
        assert response["Location"] == location, name
        assert _said(client.get(location)) == [message], name


def test_refusals_and_bad_input_come_back_as_messages_or_on_the_page(school, author):
    course = draft(school)
    client = login(author)
    module = Module.objects.get(variant__course=course)
    response = client.post(
        reverse("courses:module_move", args=[course.pk, module.pk]),
        {"direction": "sideways"},
        follow=True,
    )
    assert _said(response) == [
        "Direction: Select a valid choice. sideways is not one of the available choices."
    ]
    response = client.post(
        reverse("courses:variant_add", args=[course.pk]),
        {
            "variant-language": "en",
            "variant-title": "T",
            "variant-translation_status": "in_progress",
        },
        follow=True,
    )
    assert response.redirect_chain[0][0] == f"/courses/authoring/{course.pk}/#variants"
    assert [m.split(":")[0] for m in _said(response)] == ["Language"]
    page = client.get(reverse("courses:lesson_edit", args=[course.pk, module.lessons.first().pk]))
    assert page.context["title"] == "Text lesson" and page.context["multipart"]
    assert "kind" not in page.context["form"].fields


def test_a_published_course_asks_for_the_methodologist_to_remove_a_part(
    school, author, methodologist
):
    course = testing.course(owner=school)
    client = login(author)
    module = Module.objects.get(variant__course=course)
    url = reverse("courses:module_delete", args=[course.pk, module.pk])
    page = client.get(url)
    assert page.status_code == 200 and "reviewer" in page.context["form"].fields
    assert page.context["danger"] and page.context["title"] == "Remove the module “Module 1”?"
    response = client.post(url, {})
    assert response.status_code == 200 and "reviewer" in response.context["form"].errors
    assert Module.objects.filter(pk=module.pk).exists()
    response = client.post(url, {"reviewer": methodologist.pk, "note": "Shorter"})
    assert response.status_code == 302
    assert not Module.objects.filter(pk=module.pk).exists()
    assert Course.objects.get(pk=course.pk).status == CourseStatus.IN_REVIEW
    assert (
        client.get(reverse("courses:module_edit", args=[course.pk, module.pk])).status_code == 404
    )
