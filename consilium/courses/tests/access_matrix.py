"""The access matrix's rows for the course bank (catalog, authoring, reviewing, learning,
statistics) in the pages and the API, its part of the world (``"courses"``) and who is allowed.
See ``tests/access_matrix.py``.

``build`` makes, through the services where there are some:

* ``published``: a course of ``own`` in the catalog, with content, a run open for enrolment and
  a file lesson; the learner persona is enrolled in it (one failed quiz attempt), and so is
  someone else (whose enrolment nobody of the personas may open);
* ``draft``: a draft of ``own`` with content and a run, the one its authors work on;
* ``coauthored``: a draft owned by a third institution and co-authored by ``own``;
* ``hidden``: a draft of ``other`` (only the network readers see it);
* ``in_review``: a course of ``other`` submitted to the methodologist persona; its earlier
  review, assigned to another methodologist, was withdrawn (``their_review``).

Rows read them as ``w.c.<name>``. Certificates add theirs to this part
(``consilium/certificates/tests/access_matrix.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile

from consilium.accounts.testing import UserFactory
from consilium.core.roles import NETWORK_ROLES, Role
from consilium.courses.models import (
    CourseStatus,
    Lesson,
    LessonKind,
    Question,
    Quiz,
    RubricCriterion,
)
from consilium.courses.services import learning, reviewing
from consilium.courses.testing import course, discipline
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory
from tests.access_matrix import (
    Allowed,
    ApiRoute,
    Route,
    World,
    WorldPart,
    everyone,
    network_admin,
    network_readers,
    nobody,
    other_pk,
    own_pk,
    signed_in,
)

PART = "courses"


@dataclass
class CourseWorld:
    published: Any
    draft: Any
    coauthored: Any
    hidden: Any
    in_review: Any
    review: Any  # pending, assigned to the methodologist persona
    their_review: Any  # withdrawn, assigned to another methodologist
    enrolment: Any  # the learner persona's, active
    their_enrolment: Any  # someone else's, in the same run
    attempt: Any  # the learner persona's failed quiz attempt
    text_lesson: Any
    quiz: Any
    file_lesson: Any
    draft_module: Any
    draft_lesson: Any
    draft_quiz_lesson: Any
    draft_question: Any
    draft_run: Any
    hidden_module: Any


def build(world: World) -> dict[str, Any]:
    users, own, other = world.users, world.own, world.other
    learner_user = users[Role.LEARNER.value]
    admin = users[Role.NETWORK_ADMIN.value]

    published = course(owner=own, titles={"en": "Published"})
    variant = published.variants.get()
    module = variant.modules.get()
    text_lesson = module.lessons.get(kind=LessonKind.TEXT)
    quiz = Quiz.objects.get(lesson__module=module)
    file_lesson = Lesson(
        module=module, position=3, title="Slides", kind=LessonKind.FILE, required=False
    )
    file_lesson.file.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=True)
    enrolment = learning.enrolment_create(run=published.runs.get(), learner=learner_user)
    their_enrolment = learning.enrolment_create(run=published.runs.get(), learner=UserFactory())
    wrong = {q.pk: [c.pk for c in q.choices.all() if not c.correct] for q in quiz.questions.all()}
    attempt = learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers=wrong)

    draft = course(owner=own, status=CourseStatus.DRAFT, titles={"en": "Own draft"})
    draft_module = draft.variants.get().modules.get()
    draft_lesson = draft_module.lessons.get(kind=LessonKind.TEXT)
    draft_quiz_lesson = draft_module.lessons.get(kind=LessonKind.QUIZ)
    draft_question = Question.objects.get(quiz__lesson=draft_quiz_lesson)

    coauthored = course(
        owner=InstitutionFactory(name_en="Co-authoring University"),
        status=CourseStatus.DRAFT,
        titles={"en": "Co-authored"},
        with_content=False,
        run=False,
    )
    coauthored.co_authors.add(own)

    hidden = course(owner=other, status=CourseStatus.DRAFT, titles={"en": "Hidden draft"})

    in_review = course(owner=other, status=CourseStatus.DRAFT, titles={"en": "In review"})
    someone = UserFactory()
    Membership.objects.create(user=someone, institution=other, role=Role.METHODOLOGIST)
    their_review = reviewing.review_submit(course=in_review, reviewer=someone, by=admin)
    reviewing.review_withdraw(course=in_review, by=admin)
    their_review.refresh_from_db()
    review = reviewing.review_submit(
        course=in_review, reviewer=users[Role.METHODOLOGIST.value], by=admin
    )

    course_world = CourseWorld(
        published=published,
        draft=draft,
        coauthored=coauthored,
        hidden=hidden,
        in_review=in_review,
        review=review,
        their_review=their_review,
        enrolment=enrolment,
        their_enrolment=their_enrolment,
        attempt=attempt,
        text_lesson=text_lesson,
        quiz=quiz,
        file_lesson=file_lesson,
        draft_module=draft_module,
        draft_lesson=draft_lesson,
        draft_quiz_lesson=draft_quiz_lesson,
        draft_question=draft_question,
        draft_run=draft.runs.get(),
        hidden_module=hidden.variants.get().modules.get(),
    )
    return {"c": course_world}


WORLD_PARTS = [WorldPart(PART, build)]


# --- who is allowed (roles at ``own``, network roles at a ministry) -------------------------


def own_authors(persona: str) -> bool:
    """Course authors of the course's institutions, and the network admin."""
    return persona in (Role.COURSE_AUTHOR, Role.NETWORK_ADMIN)


def own_course_readers(persona: str) -> bool:
    """An unpublished course of ``own``: its authors, teachers, administrators; the network."""
    return persona in (Role.COURSE_AUTHOR, Role.TEACHER, Role.INSTITUTION_ADMIN, *NETWORK_ROLES)


# Who follows own's learners and statistics, sees the certificates it issued: the same roles.
own_teaching = own_course_readers


def own_teachers(persona: str) -> bool:
    """Who may give a learner of own's course another quiz attempt: its teachers, authors and
    administrators, and the network admin (not the ministry observer, who only reads)."""
    return persona in (
        Role.COURSE_AUTHOR,
        Role.TEACHER,
        Role.INSTITUTION_ADMIN,
        Role.NETWORK_ADMIN,
    )


def reviewer(persona: str) -> bool:
    return persona == Role.METHODOLOGIST


def assigned_reader(persona: str) -> bool:
    """A course of ``other`` in review: the methodologist it is assigned to and the network."""
    return persona == Role.METHODOLOGIST or persona in NETWORK_ROLES


def learner(persona: str) -> bool:
    return persona == Role.LEARNER


def learner_or_staff(persona: str) -> bool:
    """A lesson's file: its learners, the course's authors and those who follow its learners."""
    return persona == Role.LEARNER or own_course_readers(persona)


# --- the rows ------------------------------------------------------------------------------


def C(name: str, allowed: Allowed, method: str = "get", **kwargs: Any) -> Route:
    """A row of a page that needs the course bank's part of the world."""
    return Route(name, allowed, method, part=PART, **kwargs)


def CA(method: str, path: str, allowed: Allowed, url: Callable[[World], str], **kw: Any) -> Any:
    """A row of an API operation that needs the course bank's part of the world."""
    return ApiRoute(method, path, allowed, url, part=PART, **kw)


def _c(attr: str, key: str = "pk") -> Callable[[World], dict[str, Any]]:
    """URL kwargs ``{key: world.c.<attr>.pk}``."""
    return lambda w: {key: getattr(w.c, attr).pk}


def _item(course: str, item: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": getattr(w.c, course).pk, "item": getattr(w.c, item).pk}


def _course_form(w: World) -> dict[str, Any]:
    return {
        "owner": w.own.pk,
        "discipline": discipline().pk,
        "audience": "students",
        "level": "introductory",
        "hours": 12,
        "credits": "1",
        "language": "en",
        "title": "A new course",
        "revision": w.c.draft.revision,
    }


def _run_form(prefix: str = "run-") -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        today = date.today()
        return {
            f"{prefix}starts_on": (today + timedelta(days=40)).isoformat(),
            f"{prefix}ends_on": (today + timedelta(days=80)).isoformat(),
            f"{prefix}enrolment_opens_on": today.isoformat(),
            f"{prefix}enrolment_closes_on": (today + timedelta(days=39)).isoformat(),
            f"{prefix}pacing": "scheduled",
        }

    return data


def _decision(w: World) -> dict[str, Any]:
    data: dict[str, Any] = {"verdict": "changes_requested", "comment": "Shorter lessons"}
    for criterion in RubricCriterion.objects.filter(active=True):
        data[f"score_{criterion.pk}"] = 3
    return data


def _variant(w: World) -> dict[str, Any]:
    return {"variant": w.c.published.variants.get().pk}


draft_item = lambda attr: _item("draft", attr)  # noqa: E731
enrolment_pk = _c("enrolment")
theirs_pk = _c("their_enrolment")


ROWS = [
    # catalog: published courses for everyone; the rest for those who may read them
    C("courses:catalog", everyone),
    C("courses:runs_ical", everyone),
    C("courses:course", everyone, kwargs=_c("published")),
    C("courses:course", own_course_readers, kwargs=_c("draft"), label="draft"),
    C("courses:course", own_course_readers, kwargs=_c("coauthored"), label="coauthored"),
    C("courses:course", network_readers, kwargs=_c("hidden"), label="hidden"),
    C("courses:course", assigned_reader, kwargs=_c("in_review"), label="in_review"),
    C("courses:course_ical", everyone, kwargs=_c("published"), ok=(200,)),
    C("courses:course_ical", network_readers, kwargs=_c("hidden"), label="hidden", ok=(200,)),
    # authoring: course authors of the course's institutions (and the network admin)
    C("courses:authored", own_authors),
    C("courses:create", own_authors),
    C("courses:create", own_authors, "post", data=_course_form, label="post"),
    C("courses:edit", own_authors, kwargs=_c("draft")),
    C("courses:edit", own_authors, "post", kwargs=_c("draft"), data=_course_form, label="post"),
    C("courses:edit", own_authors, kwargs=_c("coauthored"), label="coauthored"),
    C("courses:edit", network_admin, kwargs=_c("hidden"), label="hidden"),
    C("courses:edit", own_authors, kwargs=_c("published"), label="published"),
    C(
        "courses:variant_add",
        own_authors,
        "post",
        kwargs=_c("draft"),
        data=lambda w: {
            "variant-language": "ru",
            "variant-title": "Черновик",
            "variant-translation_status": "in_progress",
        },
    ),
    C(
        "courses:variant_edit",
        own_authors,
        kwargs=lambda w: {"pk": w.c.draft.pk, "item": w.c.draft.variants.get().pk},
    ),
    C(
        "courses:module_add",
        own_authors,
        "post",
        kwargs=_c("draft"),
        data=lambda w: {"language": "en", "module-title": "Module 2"},
    ),
    C("courses:module_edit", own_authors, kwargs=draft_item("draft_module")),
    C(
        "courses:module_edit",
        network_admin,
        kwargs=_item("hidden", "hidden_module"),
        label="hidden",
    ),
    C("courses:module_delete", own_authors, kwargs=draft_item("draft_module")),
    C(
        "courses:module_move",
        own_authors,
        "post",
        kwargs=draft_item("draft_module"),
        data=lambda w: {"direction": "down"},
    ),
    C("courses:lesson_add", own_authors, kwargs=draft_item("draft_module")),
    C(
        "courses:lesson_add",
        own_authors,
        "post",
        kwargs=draft_item("draft_module"),
        data=lambda w: {"kind": "text", "title": "Lesson 3", "body": "<p>Text</p>"},
        label="post",
    ),
    C("courses:lesson_edit", own_authors, kwargs=draft_item("draft_lesson")),
    C("courses:lesson_delete", own_authors, kwargs=draft_item("draft_lesson")),
    C(
        "courses:lesson_move",
        own_authors,
        "post",
        kwargs=draft_item("draft_lesson"),
        data=lambda w: {"direction": "down"},
    ),
    C("courses:lesson_preview", own_authors, kwargs=draft_item("draft_lesson")),
    C("courses:quiz_edit", own_authors, kwargs=draft_item("draft_quiz_lesson")),
    C("courses:question_add", own_authors, kwargs=draft_item("draft_quiz_lesson")),
    C("courses:question_edit", own_authors, kwargs=draft_item("draft_question")),
    C("courses:question_delete", own_authors, kwargs=draft_item("draft_question")),
    C("courses:run_add", own_authors, "post", kwargs=_c("draft"), data=_run_form()),
    C("courses:run_edit", own_authors, kwargs=draft_item("draft_run")),
    C("courses:run_delete", own_authors, "post", kwargs=draft_item("draft_run")),
    C(
        "courses:review_submit",
        own_authors,
        "post",
        kwargs=_c("draft"),
        data=lambda w: {"reviewer": w.users[Role.METHODOLOGIST.value].pk, "note": "Please"},
    ),
    C("courses:review_withdraw", own_authors, "post", kwargs=_c("draft")),
    C("courses:archive", own_authors, "post", kwargs=_c("draft")),
    C("courses:restore", own_authors, "post", kwargs=_c("draft")),
    # reviewing: the methodologist a review is assigned to, nobody else
    C("courses:review_queue", reviewer),
    C("courses:review", reviewer, kwargs=_c("review")),
    C("courses:review", reviewer, "post", kwargs=_c("review"), data=_decision),
    C("courses:review", nobody, kwargs=_c("their_review"), label="theirs"),
    # learning: anyone signed in enrols; an enrolment is its learner's only
    C(
        "courses:enrol",
        signed_in,
        "post",
        kwargs=lambda w: {"pk": w.c.published.runs.get().pk},
        data=_variant,
        ok=(302,),
    ),
    C("courses:my_learning", signed_in),
    C("courses:learn", learner, kwargs=enrolment_pk, ok=(200,)),
    C("courses:learn", nobody, kwargs=theirs_pk, label="theirs"),
    C("courses:learn_variant", learner, "post", kwargs=enrolment_pk, data=_variant, ok=(302,)),
    C("courses:withdraw", learner, "post", kwargs=enrolment_pk, ok=(302,)),
    C("courses:withdraw", nobody, "post", kwargs=theirs_pk, label="theirs"),
    C(
        "courses:lesson_done",
        learner,
        "post",
        kwargs=lambda w: {"pk": w.c.enrolment.pk, "lesson": w.c.text_lesson.pk},
        ok=(302,),
    ),
    C(
        "courses:lesson_done",
        nobody,
        "post",
        kwargs=lambda w: {"pk": w.c.their_enrolment.pk, "lesson": w.c.text_lesson.pk},
        label="theirs",
    ),
    C(
        "courses:quiz",
        learner,
        kwargs=lambda w: {"pk": w.c.enrolment.pk, "lesson": w.c.quiz.lesson_id},
        ok=(200,),
    ),
    C(
        "courses:quiz_result",
        learner,
        kwargs=lambda w: {"pk": w.c.enrolment.pk, "attempt": w.c.attempt.pk},
        ok=(200,),
    ),
    C(
        "courses:quiz_attempt_grant",
        own_teachers,
        "post",
        kwargs=lambda w: {"pk": w.c.enrolment.pk, "quiz": w.c.quiz.pk},
        ok=(302,),
    ),
    C("courses:lesson_file", learner_or_staff, kwargs=_c("file_lesson", "lesson"), ok=(200,)),
    # statistics: a course's and an institution's for its teachers, authors, administrators
    # and the network readers; the network's for the network readers
    C("courses:course_stats", own_teaching, kwargs=_c("published"), ok=(200,)),
    C("courses:course_stats", own_teaching, kwargs=_c("coauthored"), label="coauthored"),
    C("courses:course_stats", network_readers, kwargs=_c("hidden"), label="hidden"),
    C("courses:course_stats_csv", own_teaching, kwargs=_c("published"), ok=(200,)),
    C("courses:course_stats_csv", network_readers, kwargs=_c("hidden"), label="hidden"),
    C("courses:institution_stats", own_teaching, kwargs=own_pk, ok=(200,)),
    C("courses:institution_stats", network_readers, kwargs=other_pk, label="other"),
    C("courses:institution_stats_csv", own_teaching, kwargs=own_pk, ok=(200,)),
    C("courses:institution_stats_csv", network_readers, kwargs=other_pk, label="other"),
    C("courses:network_stats", network_readers, ok=(200,)),
    C("courses:network_stats_csv", network_readers, ok=(200,)),
]


CO = "/api/v1/courses"


def _authored(attr: str = "draft", tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{CO}/authored/{getattr(w.c, attr).pk}{tail}"


def _settings_body(w: World) -> dict[str, Any]:
    return {
        "discipline_id": w.c.draft.discipline_id,
        "audience": "students",
        "level": "introductory",
        "hours": 20,
    }


def _run_body(w: World) -> dict[str, Any]:
    today = date.today()
    return {
        "starts_on": (today + timedelta(days=40)).isoformat(),
        "enrolment_opens_on": today.isoformat(),
    }


def _decide_body(w: World) -> dict[str, Any]:
    return {
        "verdict": "changes_requested",
        "comment": "Shorter lessons",
        "scores": [
            {"criterion_id": c.pk, "score": 3} for c in RubricCriterion.objects.filter(active=True)
        ],
    }


def _wrong_answers(w: World) -> dict[str, Any]:
    return {"answers": {str(k): v for k, v in w.c.attempt.answers.items()}}


def _enrolment(attr: str, tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{CO}/enrolments/{getattr(w.c, attr).pk}{tail}"


API_ROWS = [
    CA("GET", f"{CO}/catalog/", everyone, lambda w: f"{CO}/catalog/"),
    CA("GET", f"{CO}/catalog/runs/", everyone, lambda w: f"{CO}/catalog/runs/"),
    CA("GET", f"{CO}/catalog/{{pk}}", everyone, lambda w: f"{CO}/catalog/{w.c.published.pk}"),
    CA(
        "GET",
        f"{CO}/catalog/{{pk}}",
        own_course_readers,
        lambda w: f"{CO}/catalog/{w.c.draft.pk}",
        label="draft",
    ),
    CA(
        "GET",
        f"{CO}/catalog/{{pk}}",
        network_readers,
        lambda w: f"{CO}/catalog/{w.c.hidden.pk}",
        label="hidden",
    ),
    CA(
        "GET",
        f"{CO}/catalog/{{pk}}",
        assigned_reader,
        lambda w: f"{CO}/catalog/{w.c.in_review.pk}",
        label="in_review",
    ),
    CA("GET", f"{CO}/authored/", own_authors, lambda w: f"{CO}/authored/"),
    CA(
        "POST",
        f"{CO}/authored/",
        own_authors,
        lambda w: f"{CO}/authored/",
        body=lambda w: {
            **_settings_body(w),
            "owner_id": w.own.pk,
            "language": "en",
            "title": "New",
        },
    ),
    CA("GET", f"{CO}/authored/{{pk}}", own_authors, _authored()),
    CA("GET", f"{CO}/authored/{{pk}}", own_authors, _authored("coauthored"), label="coauthored"),
    CA("GET", f"{CO}/authored/{{pk}}", network_admin, _authored("hidden"), label="hidden"),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}",
        own_authors,
        _authored(),
        body=lambda w: {**_settings_body(w), "revision": w.c.draft.revision},
    ),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}",
        network_admin,
        _authored("hidden"),
        body=lambda w: {**_settings_body(w), "revision": w.c.hidden.revision},
        label="hidden",
    ),
    CA(
        "POST",
        f"{CO}/authored/{{pk}}/variants",
        own_authors,
        _authored(tail="/variants"),
        body=lambda w: {"language": "ru", "title": "Черновик"},
    ),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}/variants/{{language}}",
        own_authors,
        _authored(tail="/variants/en"),
        body=lambda w: {"title": "Own draft, again", "translation_status": "original"},
    ),
    CA("GET", f"{CO}/authored/{{pk}}/runs", own_authors, _authored(tail="/runs")),
    CA("POST", f"{CO}/authored/{{pk}}/runs", own_authors, _authored(tail="/runs"), body=_run_body),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}/runs/{{run_id}}",
        own_authors,
        lambda w: f"{CO}/authored/{w.c.draft.pk}/runs/{w.c.draft_run.pk}",
        body=_run_body,
    ),
    CA(
        "DELETE",
        f"{CO}/authored/{{pk}}/runs/{{run_id}}",
        own_authors,
        lambda w: f"{CO}/authored/{w.c.draft.pk}/runs/{w.c.draft_run.pk}",
        ok=(204,),
    ),
    CA(
        "POST",
        f"{CO}/authored/{{pk}}/submit",
        own_authors,
        _authored(tail="/submit"),
        body=lambda w: {"reviewer_id": w.users[Role.METHODOLOGIST.value].pk},
    ),
    CA("GET", f"{CO}/reviews/", reviewer, lambda w: f"{CO}/reviews/"),
    CA(
        "POST",
        f"{CO}/reviews/{{pk}}/decide",
        reviewer,
        lambda w: f"{CO}/reviews/{w.c.review.pk}/decide",
        body=_decide_body,
    ),
    CA(
        "POST",
        f"{CO}/reviews/{{pk}}/decide",
        nobody,
        lambda w: f"{CO}/reviews/{w.c.their_review.pk}/decide",
        body=_decide_body,
        label="theirs",
    ),
    CA(
        "POST",
        f"{CO}/catalog/runs/{{pk}}/enrol",
        signed_in,
        lambda w: f"{CO}/catalog/runs/{w.c.published.runs.get().pk}/enrol",
        body=lambda w: {},
        ok=(201, 400),  # 400: the learner persona is enrolled already
    ),
    CA("GET", f"{CO}/enrolments/", signed_in, lambda w: f"{CO}/enrolments/"),
    CA("GET", f"{CO}/enrolments/{{pk}}", learner, _enrolment("enrolment")),
    CA("GET", f"{CO}/enrolments/{{pk}}", nobody, _enrolment("their_enrolment"), label="theirs"),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/lessons/{{lesson_id}}/complete",
        learner,
        lambda w: f"{CO}/enrolments/{w.c.enrolment.pk}/lessons/{w.c.text_lesson.pk}/complete",
    ),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/lessons/{{lesson_id}}/complete",
        nobody,
        lambda w: f"{CO}/enrolments/{w.c.their_enrolment.pk}/lessons/{w.c.text_lesson.pk}/complete",
        label="theirs",
    ),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/quizzes/{{quiz_id}}/attempts",
        learner,
        lambda w: f"{CO}/enrolments/{w.c.enrolment.pk}/quizzes/{w.c.quiz.pk}/attempts",
        body=_wrong_answers,
    ),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/quizzes/{{quiz_id}}/attempts",
        nobody,
        lambda w: f"{CO}/enrolments/{w.c.their_enrolment.pk}/quizzes/{w.c.quiz.pk}/attempts",
        body=_wrong_answers,
        label="theirs",
    ),
    CA("POST", f"{CO}/enrolments/{{pk}}/withdraw", learner, _enrolment("enrolment", "/withdraw")),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/withdraw",
        nobody,
        _enrolment("their_enrolment", "/withdraw"),
        label="theirs",
    ),
]
