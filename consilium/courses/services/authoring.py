"""Writes of course authoring: courses, language variants, modules, lessons, quizzes, runs.

Every service is keyword-only and atomic and refuses bad input with a translated
``ValidationError`` (errors per field) before anything is written. Texts people write are
cleaned by ``core.html.clean``. A course being reviewed (or archived) cannot be changed.

While a course is published, a *structural* change (adding or removing a module, lesson,
question or answer choice; changing the right answers, a quiz's passing score or attempts; the
hours, credits, audience, level or discipline; adding a language variant) is *major*: the
change is made and the course goes back to review, to the methodologist the author names
(``reviewer``), with a note saying what changed. Wording changes keep it published.

Every write that changes what the catalog or a public course page shows bumps the ``courses``
content version (``core/public_cache.py``) inside the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.core import access, public_cache, uploads
from consilium.core.html import clean, video_host_error
from consilium.core.services import read_only, service
from consilium.core.text import document_words, search_document
from consilium.courses import review
from consilium.courses.models import (
    Audience,
    Choice,
    Course,
    CourseSearchWord,
    CourseStatus,
    CourseVariant,
    Discipline,
    Lesson,
    LessonKind,
    Level,
    Module,
    Pacing,
    Question,
    Quiz,
    Run,
    TranslationStatus,
)
from consilium.courses.policy import Perm
from consilium.courses.services.reviewing import review_submit
from consilium.courses.versions import CATALOG
from consilium.institutions.models import Institution

LANGS = [code for code, _label in settings.LANGUAGES]
MAX_CHOICES = 8


class ConflictError(Exception):
    """Someone else saved the course's settings since they were opened; nothing was written."""


# --- shared rules ------------------------------------------------------------------------


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


@read_only
def course_check_editable(course: Course) -> None:
    if course.status not in review.EDITABLE:
        raise ValidationError(
            _(
                "A course that is %(status)s cannot be changed. Withdraw it from review "
                "(or restore it) first."
            )
            % {"status": course.get_status_display().lower()}
        )


def _touch(course: Course) -> None:
    """The course changed: retire cached public pages if the public can see it."""
    if course.published_at is not None:
        public_cache.bump(CATALOG)


@service
def course_major_change(
    *, course: Course, by: User, reviewer: User | None, note: str, what: str
) -> None:
    """A structural change to ``course``: if it is published, send it back to review.

    ``what`` says what changed; it is kept in the new review's note (the course's record of
    changes after publication, together with every verdict).
    """
    if course.status != CourseStatus.PUBLISHED:
        return
    if reviewer is None:
        raise _refuse(
            "reviewer",
            _(
                "The course is published: this change sends it back to review. "
                "Choose the methodologist who will review it."
            ),
        )
    record = _("Changed after publication: %(what)s") % {"what": what}
    review_submit(
        course=course,
        reviewer=reviewer,
        note=f"{note.strip()}\n\n{record}".strip(),
        by=by,
    )


@service
def course_search_rebuild(course: Course) -> None:
    """Store the search text and words of every variant's title and summary and the tags."""
    texts: list[str] = []
    for variant in CourseVariant.objects.filter(course=course).order_by("language"):
        texts += [variant.title, variant.summary]
    texts += course.tag_list
    course.search_text = search_document(*texts)
    Course.objects.filter(pk=course.pk).update(search_text=course.search_text)
    CourseSearchWord.objects.filter(course=course).delete()
    CourseSearchWord.objects.bulk_create(
        [
            CourseSearchWord(course=course, word=word)
            for word in sorted(document_words(course.search_text))
        ]
    )


def _tags(raw: str) -> str:
    seen: list[str] = []
    for tag in raw.split(","):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in {t.casefold() for t in seen}:
            seen.append(tag)
    joined = ", ".join(seen)
    if len(joined) > 300:
        raise _refuse("tags", _("The tags are longer than 300 characters together."))
    return joined


@dataclass(frozen=True)
class Settings:
    """What the course's settings form holds."""

    discipline: Discipline
    audience: str
    level: str
    hours: int
    credits: Decimal
    tags: str = ""
    co_authors: Sequence[Institution] = ()


def _check_settings(data: Settings) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.audience not in Audience.values:
        errors["audience"] = [_("Choose an audience from the list.")]
    if data.level not in Level.values:
        errors["level"] = [_("Choose a level from the list.")]
    if data.hours is None or data.hours <= 0 or data.hours > 32000:
        errors["hours"] = [_("Give the hours of effort as a whole number above zero.")]
    if data.credits is None or data.credits < 0 or data.credits >= 10000:
        errors["credits"] = [_("Credits cannot be negative.")]
    return errors


def _variant_texts(*, title: str, summary: str, description: str) -> tuple[str, str, str]:
    title, summary = title.strip(), summary.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the course a title.")]
    elif len(title) > 300:
        errors["title"] = [_("The title is longer than 300 characters.")]
    if len(summary) > 500:
        errors["summary"] = [_("The summary is longer than 500 characters.")]
    if errors:
        raise ValidationError(errors)
    return title, summary, clean(description)


# --- courses -----------------------------------------------------------------------------


@service
def course_create(
    *,
    by: User,
    owner: Institution,
    settings_: Settings,
    language: str,
    title: str,
    summary: str = "",
    description: str = "",
) -> Course:
    """A draft course owned by ``owner`` (where ``by`` is a course author), in ``language``."""
    errors = _check_settings(settings_)
    if not access.can(by, Perm.COURSE_CREATE, owner):
        errors["owner"] = [
            _("You can create courses only for an institution where you are a course author.")
        ]
    if language not in LANGS:
        errors["language"] = [_("Choose a language from the list.")]
    try:
        title, summary, description = _variant_texts(
            title=title, summary=summary, description=description
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        tags = _tags(settings_.tags)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    course = Course.objects.create(
        owner=owner,
        discipline=settings_.discipline,
        audience=settings_.audience,
        level=settings_.level,
        hours=settings_.hours,
        credits=settings_.credits,
        tags=tags,
        original_language=language,
        created_by=by,
    )
    course.co_authors.set([i for i in settings_.co_authors if i.pk != owner.pk])
    CourseVariant.objects.create(
        course=course,
        language=language,
        title=title,
        summary=summary,
        description=description,
        translation_status=TranslationStatus.ORIGINAL,
    )
    course_search_rebuild(course)
    return course


MAJOR_SETTINGS = ("discipline", "audience", "level", "hours", "credits")


@service
def course_update(
    *,
    course: Course,
    by: User,
    expected_revision: int,
    settings_: Settings,
    reviewer: User | None = None,
    note: str = "",
) -> Course:
    """Change the course's settings if nobody saved them since ``expected_revision``."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.revision != expected_revision:
        raise ConflictError
    course_check_editable(locked)
    errors = _check_settings(settings_)
    try:
        tags = _tags(settings_.tags)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    new = {
        "discipline": settings_.discipline.pk,
        "audience": settings_.audience,
        "level": settings_.level,
        "hours": settings_.hours,
        "credits": Decimal(settings_.credits).quantize(Decimal("0.1")),
    }
    old = {
        "discipline": locked.discipline_id,
        "audience": locked.audience,
        "level": locked.level,
        "hours": locked.hours,
        "credits": Decimal(locked.credits).quantize(Decimal("0.1")),
    }
    changed = [name for name in MAJOR_SETTINGS if new[name] != old[name]]
    if changed:
        labels = ", ".join(
            str(getattr(Course._meta.get_field(name), "verbose_name", name)) for name in changed
        )
        course_major_change(course=locked, by=by, reviewer=reviewer, note=note, what=labels)
    locked.discipline = settings_.discipline
    locked.audience = settings_.audience
    locked.level = settings_.level
    locked.hours = settings_.hours
    locked.credits = settings_.credits
    locked.tags = tags
    locked.revision = F("revision") + 1
    # Not the status: a major change has just moved it (review_submit saved it).
    locked.save(
        update_fields=[
            "discipline",
            "audience",
            "level",
            "hours",
            "credits",
            "tags",
            "revision",
            "updated_at",
        ]
    )
    locked.refresh_from_db()
    locked.co_authors.set([i for i in settings_.co_authors if i.pk != locked.owner_id])
    course_search_rebuild(locked)
    _touch(locked)
    return locked


# --- language variants -------------------------------------------------------------------


def _check_translation_status(course: Course, language: str, status: str) -> None:
    if status not in TranslationStatus.values:
        raise _refuse("translation_status", _("Choose a translation status from the list."))
    is_original = language == course.original_language
    if is_original != (status == TranslationStatus.ORIGINAL):
        raise _refuse(
            "translation_status",
            _("Only the course's original language is marked as the original.")
            if not is_original
            else _("The course's original language stays marked as the original."),
        )


@service
def variant_add(
    *,
    course: Course,
    by: User,
    language: str,
    title: str,
    summary: str = "",
    description: str = "",
    translation_status: str = TranslationStatus.IN_PROGRESS,
    reviewer: User | None = None,
    note: str = "",
) -> CourseVariant:
    """A new language variant (one per language) of the course."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    course_check_editable(course)
    if language not in LANGS:
        raise _refuse("language", _("Choose a language from the list."))
    if CourseVariant.objects.filter(course=course, language=language).exists():
        raise _refuse("language", _("The course already has a variant in this language."))
    _check_translation_status(course, language, translation_status)
    title, summary, description = _variant_texts(
        title=title, summary=summary, description=description
    )
    course_major_change(
        course=course,
        by=by,
        reviewer=reviewer,
        note=note,
        what=_("a language variant added (%(language)s)") % {"language": language},
    )
    variant = CourseVariant.objects.create(
        course=course,
        language=language,
        title=title,
        summary=summary,
        description=description,
        translation_status=translation_status,
    )
    course_search_rebuild(course)
    _touch(course)
    return variant


@service
def variant_update(
    *,
    variant: CourseVariant,
    by: User,
    title: str,
    summary: str = "",
    description: str = "",
    translation_status: str,
) -> CourseVariant:
    """Change a variant's texts and translation status (a wording change: never major)."""
    course = Course.objects.select_for_update().get(pk=variant.course_id)
    course_check_editable(course)
    _check_translation_status(course, variant.language, translation_status)
    variant.title, variant.summary, variant.description = _variant_texts(
        title=title, summary=summary, description=description
    )
    variant.translation_status = translation_status
    variant.save()
    course_search_rebuild(course)
    _touch(course)
    return variant


# --- modules and lessons -----------------------------------------------------------------


def _lock_course(course_id: int) -> Course:
    course = Course.objects.select_for_update().get(pk=course_id)
    course_check_editable(course)
    return course


def _title(raw: str) -> str:
    title = raw.strip()
    if not title:
        raise _refuse("title", _("Give it a title."))
    if len(title) > 300:
        raise _refuse("title", _("The title is longer than 300 characters."))
    return title


def _move(rows: list[Any], row: Any, direction: str) -> None:
    """Swap ``row`` with its neighbour in ``rows`` (ordered), renumbering 1..n."""
    if direction not in ("up", "down"):
        raise _refuse("direction", _("Move up or down."))
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, item in enumerate(rows, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@service
def module_add(
    *, variant: CourseVariant, by: User, title: str, reviewer: User | None = None, note: str = ""
) -> Module:
    course = _lock_course(variant.course_id)
    title = _title(title)
    course_major_change(
        course=course,
        by=by,
        reviewer=reviewer,
        note=note,
        what=_("a module added: %(title)s") % {"title": title},
    )
    last = Module.objects.filter(variant=variant).order_by("-position").first()
    module = Module.objects.create(
        variant=variant, title=title, position=(last.position + 1) if last else 1
    )
    _touch(course)
    return module


@service
def module_update(*, module: Module, by: User, title: str) -> Module:
    course = _lock_course(module.variant.course_id)
    module.title = _title(title)
    module.save(update_fields=["title"])
    _touch(course)
    return module


@service
def module_delete(
    *, module: Module, by: User, reviewer: User | None = None, note: str = ""
) -> None:
    course = _lock_course(module.variant.course_id)
    course_major_change(
        course=course,
        by=by,
        reviewer=reviewer,
        note=note,
        what=_("a module removed: %(title)s") % {"title": module.title},
    )
    variant_id = module.variant_id
    module.delete()
    for position, row in enumerate(Module.objects.filter(variant_id=variant_id), start=1):
        if row.position != position:
            Module.objects.filter(pk=row.pk).update(position=position)
    _touch(course)


@service
def module_move(*, module: Module, by: User, direction: str) -> None:
    course = _lock_course(module.variant.course_id)
    _move(list(Module.objects.filter(variant_id=module.variant_id)), module, direction)
    _touch(course)


@dataclass(frozen=True)
class LessonData:
    title: str
    body: str = ""
    video_url: str = ""
    link_url: str = ""
    upload: Any = None
    required: bool = True


def _lesson_fields(kind: str, data: LessonData, *, has_file: bool) -> dict[str, Any]:
    """The cleaned fields of a lesson of ``kind``; refuses what the kind needs but lacks."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {"required": data.required, "video_url": "", "link_url": ""}
    try:
        fields["title"] = _title(data.title)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    fields["body"] = clean(data.body)
    if kind == LessonKind.TEXT and not fields["body"]:
        errors["body"] = [_("Write the lesson's text.")]
    if kind == LessonKind.VIDEO:
        url = data.video_url.strip()
        if problem := video_host_error(url):  # only the VIDEO_HOSTS' players are embedded
            errors["video_url"] = [problem]
        fields["video_url"] = url
    if kind == LessonKind.LINK:
        url = data.link_url.strip()
        if not url.lower().startswith(("https://", "http://")) or len(url) > 200:
            errors["link_url"] = [_("Give the link's address, starting with https://.")]
        fields["link_url"] = url
    if kind == LessonKind.FILE:
        if data.upload is not None:
            try:
                payload, _type, extension = uploads.read_checked(data.upload)
                fields["file"] = (payload, extension)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        elif not has_file:
            errors["file"] = [_("Choose the file to upload (PDF, PNG or JPEG).")]
    if errors:
        raise ValidationError(errors)
    return fields


def _save_lesson(lesson: Lesson, fields: dict[str, Any]) -> None:
    upload = fields.pop("file", None)
    for name, value in fields.items():
        setattr(lesson, name, value)
    if upload is not None:
        payload, extension = upload
        old = lesson.file.name if lesson.file else ""
        lesson.file.save(f"lesson{extension}", ContentFile(payload), save=False)
        if old:
            transaction.on_commit(lambda: lesson.file.storage.delete(old))
    lesson.save()


@service
def lesson_add(
    *,
    module: Module,
    by: User,
    kind: str,
    data: LessonData,
    reviewer: User | None = None,
    note: str = "",
) -> Lesson:
    course = _lock_course(module.variant.course_id)
    if kind not in LessonKind.values:
        raise _refuse("kind", _("Choose a kind of lesson from the list."))
    fields = _lesson_fields(kind, data, has_file=False)
    course_major_change(
        course=course,
        by=by,
        reviewer=reviewer,
        note=note,
        what=_("a lesson added: %(title)s") % {"title": fields["title"]},
    )
    last = Lesson.objects.filter(module=module).order_by("-position").first()
    lesson = Lesson(module=module, kind=kind, position=(last.position + 1) if last else 1)
    _save_lesson(lesson, fields)
    if kind == LessonKind.QUIZ:
        Quiz.objects.create(lesson=lesson)
    _touch(course)
    return lesson


@service
def lesson_update(*, lesson: Lesson, by: User, data: LessonData) -> Lesson:
    """Change a lesson's title, text, address or file (its kind stays)."""
    course = _lock_course(lesson.module.variant.course_id)
    _save_lesson(lesson, _lesson_fields(lesson.kind, data, has_file=bool(lesson.file)))
    _touch(course)
    return lesson


@service
def lesson_delete(
    *, lesson: Lesson, by: User, reviewer: User | None = None, note: str = ""
) -> None:
    course = _lock_course(lesson.module.variant.course_id)
    course_major_change(
        course=course,
        by=by,
        reviewer=reviewer,
        note=note,
        what=_("a lesson removed: %(title)s") % {"title": lesson.title},
    )
    module_id = lesson.module_id
    stored = lesson.file.name if lesson.file else ""
    storage = lesson.file.storage
    lesson.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    for position, row in enumerate(Lesson.objects.filter(module_id=module_id), start=1):
        if row.position != position:
            Lesson.objects.filter(pk=row.pk).update(position=position)
    _touch(course)


@service
def lesson_move(*, lesson: Lesson, by: User, direction: str) -> None:
    course = _lock_course(lesson.module.variant.course_id)
    _move(list(Lesson.objects.filter(module_id=lesson.module_id)), lesson, direction)
    _touch(course)


# --- quizzes -----------------------------------------------------------------------------


def _quiz_course(quiz: Quiz) -> Course:
    course_id = (
        Lesson.objects.filter(pk=quiz.lesson_id)
        .values_list("module__variant__course_id", flat=True)
        .get()
    )
    return _lock_course(course_id)


@service
def quiz_update(
    *,
    quiz: Quiz,
    by: User,
    passing_score: int,
    max_attempts: int,
    reviewer: User | None = None,
    note: str = "",
) -> Quiz:
    course = _quiz_course(quiz)
    errors: dict[str, list[str]] = {}
    if passing_score is None or not 1 <= passing_score <= 100:
        errors["passing_score"] = [_("Give the passing score as a percentage from 1 to 100.")]
    if max_attempts is None or not 1 <= max_attempts <= 100:
        errors["max_attempts"] = [_("Allow from 1 to 100 attempts.")]
    if errors:
        raise ValidationError(errors)
    if (passing_score, max_attempts) != (quiz.passing_score, quiz.max_attempts):
        course_major_change(
            course=course,
            by=by,
            reviewer=reviewer,
            note=note,
            what=_("a quiz's passing score or attempts changed"),
        )
    quiz.passing_score, quiz.max_attempts = passing_score, max_attempts
    quiz.save()
    _touch(course)
    return quiz


def _check_question(
    text: str, multiple: bool, choices: Sequence[tuple[str, bool]]
) -> list[tuple[str, bool]]:
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        errors["text"] = [_("Write the question.")]
    given = [(t.strip(), bool(correct)) for t, correct in choices if t.strip()]
    if len(given) < 2:
        errors["choices"] = [_("Give at least two answer choices.")]
    elif len(given) > MAX_CHOICES:
        errors["choices"] = [_("Give at most %(count)s answer choices.") % {"count": MAX_CHOICES}]
    elif any(len(t) > 500 for t, _c in given):
        errors["choices"] = [_("An answer choice is longer than 500 characters.")]
    else:
        right = sum(1 for _t, correct in given if correct)
        if not multiple and right != 1:
            errors["choices"] = [_("Mark exactly one answer as correct.")]
        elif multiple and right < 1:
            errors["choices"] = [_("Mark at least one answer as correct.")]
    if errors:
        raise ValidationError(errors)
    return given


@service
def question_add(
    *,
    quiz: Quiz,
    by: User,
    text: str,
    multiple: bool,
    choices: Sequence[tuple[str, bool]],
    reviewer: User | None = None,
    note: str = "",
) -> Question:
    """A question with its answer choices, each as (text, correct); blank choices are skipped."""
    course = _quiz_course(quiz)
    given = _check_question(text, multiple, choices)
    course_major_change(
        course=course, by=by, reviewer=reviewer, note=note, what=_("a quiz question added")
    )
    last = Question.objects.filter(quiz=quiz).order_by("-position").first()
    question = Question.objects.create(
        quiz=quiz, text=text.strip(), multiple=multiple, position=(last.position + 1) if last else 1
    )
    Choice.objects.bulk_create(
        Choice(question=question, position=i, text=t, correct=c)
        for i, (t, c) in enumerate(given, start=1)
    )
    _touch(course)
    return question


@service
def question_update(
    *,
    question: Question,
    by: User,
    text: str,
    multiple: bool,
    choices: Sequence[tuple[str, bool]],
    reviewer: User | None = None,
    note: str = "",
) -> Question:
    """Rewrite a question. Changing only wordings is minor; changing how many choices there
    are, which are right, or single/multiple is major."""
    course = _quiz_course(question.quiz)
    given = _check_question(text, multiple, choices)
    old = list(question.choices.all())
    same_shape = multiple == question.multiple and [c.correct for c in old] == [
        c for _t, c in given
    ]
    if not same_shape:
        course_major_change(
            course=course,
            by=by,
            reviewer=reviewer,
            note=note,
            what=_("a quiz question's answers changed"),
        )
    question.text, question.multiple = text.strip(), multiple
    question.save()
    if same_shape:
        for row, (t, _c) in zip(old, given, strict=True):
            if row.text != t:
                row.text = t
                row.save(update_fields=["text"])
    else:
        question.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(question=question, position=i, text=t, correct=c)
            for i, (t, c) in enumerate(given, start=1)
        )
    _touch(course)
    return question


@service
def question_delete(
    *, question: Question, by: User, reviewer: User | None = None, note: str = ""
) -> None:
    course = _quiz_course(question.quiz)
    course_major_change(
        course=course, by=by, reviewer=reviewer, note=note, what=_("a quiz question removed")
    )
    quiz_id = question.quiz_id
    question.delete()
    for position, row in enumerate(Question.objects.filter(quiz_id=quiz_id), start=1):
        if row.position != position:
            Question.objects.filter(pk=row.pk).update(position=position)
    _touch(course)


# --- runs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunData:
    starts_on: date
    enrolment_opens_on: date
    ends_on: date | None = None
    enrolment_closes_on: date | None = None
    pacing: str = Pacing.SCHEDULED
    capacity: int | None = None


def _check_run(data: RunData, enrolled: int = 0) -> None:
    errors: dict[str, list[str]] = {}
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("The run cannot end before it starts.")]
    if data.enrolment_closes_on is not None:
        if data.enrolment_closes_on < data.enrolment_opens_on:
            errors["enrolment_closes_on"] = [_("Enrolment cannot close before it opens.")]
        elif data.ends_on is not None and data.enrolment_closes_on > data.ends_on:
            errors["enrolment_closes_on"] = [_("Enrolment cannot close after the run ends.")]
    if data.ends_on is not None and data.enrolment_opens_on > data.ends_on:
        errors["enrolment_opens_on"] = [_("Enrolment cannot open after the run ends.")]
    if data.pacing not in Pacing.values:
        errors["pacing"] = [_("Choose the pacing from the list.")]
    if data.capacity is not None:
        if data.capacity < 1:
            errors["capacity"] = [_("Give a capacity of at least 1, or leave it empty.")]
        elif data.capacity < enrolled:
            errors["capacity"] = [
                _("%(count)s people are already enrolled: the capacity cannot be lower.")
                % {"count": enrolled}
            ]
    if errors:
        raise ValidationError(errors)


def _run_course(course_id: int) -> Course:
    course = Course.objects.select_for_update().get(pk=course_id)
    if course.status == CourseStatus.ARCHIVED:
        raise ValidationError(_("An archived course gets no new runs; restore it first."))
    return course


@service
def run_create(*, course: Course, by: User, data: RunData) -> Run:
    course = _run_course(course.pk)
    _check_run(data)
    run = Run.objects.create(course=course, **data.__dict__)
    course_next_start_refresh(course_ids=[course.pk])
    _touch(course)
    return run


@service
def run_update(*, run: Run, by: User, data: RunData) -> Run:
    course = _run_course(run.course_id)
    locked = Run.objects.select_for_update().get(pk=run.pk)
    _check_run(data, enrolled=locked.enrolled)
    for name, value in data.__dict__.items():
        setattr(locked, name, value)
    locked.save()
    course_next_start_refresh(course_ids=[course.pk])
    _touch(course)
    return locked


@service
def run_delete(*, run: Run, by: User) -> None:
    course = _run_course(run.course_id)
    locked = Run.objects.select_for_update().get(pk=run.pk)
    if locked.enrolled or locked.enrolments.exists():
        raise ValidationError(
            _("People are enrolled in this run: it cannot be deleted. Close its enrolment instead.")
        )
    locked.delete()
    course_next_start_refresh(course_ids=[course.pk])
    _touch(course)


@service
def course_next_start_refresh(*, course_ids: Sequence[int] | None = None) -> int:
    """Set each course's ``next_start``: the earliest start among its runs not yet ended.

    All courses when ``course_ids`` is None (the daily ``refresh_course_dates`` command, as
    runs end); returns how many courses changed.
    """
    today = timezone.localdate()
    earliest = (
        Run.objects.filter(course=OuterRef("pk"))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on")
        .values("starts_on")[:1]
    )
    rows = Course.objects.all() if course_ids is None else Course.objects.filter(pk__in=course_ids)
    with transaction.atomic():
        ids = [
            pk
            for pk, current, computed in rows.annotate(computed=Subquery(earliest)).values_list(
                "pk", "next_start", "computed"
            )
            if current != computed
        ]
        if ids:
            Course.objects.filter(pk__in=ids).update(next_start=Subquery(earliest))
            public_cache.bump(CATALOG)
    return len(ids)
