"""Factories for course-bank tests (rows as the services would leave them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from consilium.courses.models import (
    Choice,
    Course,
    CourseStatus,
    CourseVariant,
    Discipline,
    Lesson,
    LessonKind,
    Module,
    Question,
    Quiz,
    Run,
)
from consilium.institutions.testing import InstitutionFactory


def discipline(code: str = "public-health") -> Discipline:
    return Discipline.objects.get_or_create(
        code=code, defaults={"name_en": code.replace("-", " ").title()}
    )[0]


def course(
    *,
    owner: Any = None,
    status: str = CourseStatus.PUBLISHED,
    titles: dict[str, str] | None = None,
    hours: int = 36,
    with_content: bool = True,
    run: bool = True,
    starts_in: int = -7,
    **fields: Any,
) -> Course:
    """A course with a variant per title language, one module of a text lesson and a quiz
    (one single-choice question: the right answer is the first choice), and an open run that
    started ``-starts_in`` days ago (a positive ``starts_in``: a run that starts in so many
    days)."""
    from consilium.core.text import search_document

    titles = titles or {"en": "Personalisation in higher education"}
    published_at = timezone.now() if status == CourseStatus.PUBLISHED else None
    obj = Course.objects.create(
        owner=owner or InstitutionFactory(),
        discipline=fields.pop("discipline", None) or discipline(),
        audience=fields.pop("audience", "students"),
        level=fields.pop("level", "introductory"),
        hours=hours,
        status=status,
        published_at=published_at,
        original_language=next(iter(titles)),
        search_text=search_document(*titles.values()),
        **fields,
    )
    for language, title in titles.items():
        variant = CourseVariant.objects.create(
            course=obj, language=language, title=title, summary=f"About {title}"
        )
        if with_content:
            module = Module.objects.create(variant=variant, position=1, title="Module 1")
            Lesson.objects.create(
                module=module, position=1, title="Lesson 1", kind=LessonKind.TEXT, body="<p>Hi</p>"
            )
            quiz_lesson = Lesson.objects.create(
                module=module, position=2, title="Quiz", kind=LessonKind.QUIZ
            )
            quiz = Quiz.objects.create(lesson=quiz_lesson, passing_score=60, max_attempts=2)
            question = Question.objects.create(quiz=quiz, position=1, text="Pick the first")
            Choice.objects.create(question=question, position=1, text="First", correct=True)
            Choice.objects.create(question=question, position=2, text="Second", correct=False)
    if run:
        today = date.today()
        Run.objects.create(
            course=obj,
            # Started a week ago by default, so its lessons are open (run dates gate
            # learning); ``starts_in=7`` gives a run still to come.
            starts_on=today + timedelta(days=starts_in),
            ends_on=today + timedelta(days=60),
            enrolment_opens_on=today - timedelta(days=7),
            enrolment_closes_on=today + timedelta(days=30),
        )
    return obj
