"""The course bank and certificates part of the access matrix: its world and who is allowed.

``build(users, own, other)`` makes, through the services where there are some:

* ``published``: a course of ``own`` in the catalog, with content, a run open for enrolment and
  a file lesson; the learner persona is enrolled in it (one failed quiz attempt), and so is
  someone else (whose enrolment nobody of the personas may open);
* ``draft``: a draft of ``own`` with content and a run, the one its authors work on;
* ``coauthored``: a draft owned by a third institution and co-authored by ``own``;
* ``hidden``: a draft of ``other`` (only the network readers see it);
* ``in_review``: a course of ``other`` submitted to the methodologist persona; its earlier
  review, assigned to another methodologist, was withdrawn (``their_review``);
* ``certificate``: issued by ``own`` to the learner persona for a completed course, and
  ``other_certificate``, issued by ``other`` to someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from consilium.accounts.testing import UserFactory
from consilium.core.roles import NETWORK_ROLES, Role
from consilium.institutions.models import Institution, Membership
from consilium.institutions.testing import InstitutionFactory


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
    done_enrolment: Any  # the learner persona's, completed, with ``certificate``
    certificate: Any
    other_certificate: Any


def _completed(course: Any, learner: Any) -> Any:
    """Enrol ``learner`` and carry them through every lesson and quiz with the services."""
    from consilium.courses.models import Lesson, LessonKind, Quiz
    from consilium.courses.services import learning

    enrolment = learning.enrol(run=course.runs.get(), learner=learner)
    for lesson in Lesson.objects.filter(module__variant=enrolment.variant_id):
        if lesson.kind == LessonKind.QUIZ:
            quiz = Quiz.objects.get(lesson=lesson)
            answers = {
                q.pk: [c.pk for c in q.choices.all() if c.correct] for q in quiz.questions.all()
            }
            learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers=answers)
        elif lesson.required:
            learning.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    return enrolment


def build(users: dict[str, Any], own: Institution, other: Institution) -> CourseWorld:
    from consilium.courses.models import CourseStatus, Lesson, LessonKind, Question, Quiz
    from consilium.courses.services import learning, reviewing
    from consilium.courses.testing import course
    from consilium.credentials.services import certificate_issue

    learner = users[Role.LEARNER.value]
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
    enrolment = learning.enrol(run=published.runs.get(), learner=learner)
    their_enrolment = learning.enrol(run=published.runs.get(), learner=UserFactory())
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

    done = course(owner=own, titles={"en": "Completed"}, credits=2)
    done_enrolment = _completed(done, learner)
    certificate = certificate_issue(enrolment=done_enrolment)
    theirs = course(owner=other, titles={"en": "Other's"}, with_content=False)
    from consilium.courses.models import CourseVariant, Module

    # A course without quizzes is enough for the other certificate: one required text lesson.
    Lesson.objects.create(
        module=Module.objects.create(
            variant=CourseVariant.objects.get(course=theirs), position=1, title="M"
        ),
        position=1,
        title="Only",
        kind=LessonKind.TEXT,
        body="<p>x</p>",
    )
    other_certificate = certificate_issue(enrolment=_completed(theirs, UserFactory()))

    return CourseWorld(
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
        done_enrolment=done_enrolment,
        certificate=certificate,
        other_certificate=other_certificate,
    )


# --- who is allowed (roles at ``own``, network roles at a ministry) -------------------------


def nobody(persona: str) -> bool:
    return False


def own_authors(persona: str) -> bool:
    """Course authors of the course's institutions, and the network admin."""
    return persona in (Role.COURSE_AUTHOR, Role.NETWORK_ADMIN)


def own_course_readers(persona: str) -> bool:
    """An unpublished course of ``own``: its authors, teachers, administrators; the network."""
    return persona in (Role.COURSE_AUTHOR, Role.TEACHER, Role.INSTITUTION_ADMIN, *NETWORK_ROLES)


# Who follows own's learners and statistics, sees the certificates it issued: the same roles.
own_teaching = own_course_readers


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


def holder_or_issuer(persona: str) -> bool:
    """A certificate of ``own``: the holder, own's administrators, authors, teachers; network."""
    return persona == Role.LEARNER or own_teaching(persona)


def revokers(persona: str) -> bool:
    return persona in (Role.INSTITUTION_ADMIN, Role.NETWORK_ADMIN)
