"""Writes of learning: enrolment, the chosen variant, lessons done, quiz attempts, completion.

Every service is keyword-only and atomic and refuses bad input with a translated
``ValidationError`` before anything is written. Quizzes are graded here from ``Choice.correct``;
what the browser sends is only the choice ids. Completion is checked on the server after every
step and recorded once, under a lock on the enrolment; after it commits, the course bank
announces it (``signals.course_completed``, with the enrolment's id): the certificates app
listens and queues the certificate.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consilium.core.services import read_only, service
from consilium.courses import review, signals, tasks
from consilium.courses.models import (
    CourseStatus,
    CourseVariant,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    Quiz,
    QuizAttempt,
    QuizAttemptGrant,
    Run,
)
from consilium.courses.selectors.catalog import run_is_open
from consilium.notifications.services import notification_send


def _today() -> Any:
    return timezone.localdate()


# --- enrolment ---------------------------------------------------------------------------


def _default_variant(course: Any, language: str) -> CourseVariant | None:
    """The learner's language, else the original, else any: among the variants that have
    lessons (a translation in progress may have none yet) before those that have not."""
    variants = list(course.variants.all())
    with_lessons = set(
        Lesson.objects.filter(module__variant__course=course).values_list(
            "module__variant_id", flat=True
        )
    )

    def rank(v: CourseVariant) -> tuple[bool, bool, bool]:
        return (
            v.pk not in with_lessons,
            v.language != language,
            v.language != course.original_language,
        )

    return min(variants, key=rank, default=None)


@read_only
def empty_variant_message(variant: CourseVariant) -> str:
    """What a learner is told when a variant without lessons is asked for."""
    return _(
        "The %(language)s version of this course has no lessons yet (its translation is in"
        " progress): choose another language."
    ) % {"language": str(translation.get_language_info(variant.language)["name_translated"])}


def _check_offered(variant: CourseVariant) -> None:
    if not Lesson.objects.filter(module__variant=variant).exists():
        raise ValidationError({"variant": [empty_variant_message(variant)]})


@service
def enrolment_create(*, run: Run, learner: Any, variant: CourseVariant | None = None) -> Enrolment:
    """Enrol ``learner`` in ``run`` (in ``variant``, else the one in their language, else the
    original one). Refused when the course is not published, the enrolment window is closed,
    the run is full or the person is already enrolled in it."""
    if not getattr(learner, "is_authenticated", False):
        raise ValidationError(_("Sign in to enrol in a course."))
    # The row lock serialises enrolments in this run, so that the capacity check holds.
    run = Run.objects.select_for_update().select_related("course").get(pk=run.pk)
    course = run.course
    if course.status != CourseStatus.PUBLISHED:
        raise ValidationError(_("This course is not open for enrolment."))
    if not run_is_open(run, _today()):
        raise ValidationError(_("Enrolment in this run is closed."))
    if variant is None:
        variant = _default_variant(course, learner.language or "")
    if variant is None or variant.course_id != course.pk:
        raise ValidationError({"variant": [_("Choose one of this course's languages.")]})
    _check_offered(variant)
    existing = Enrolment.objects.filter(run=run, learner=learner).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("You are already enrolled in this run."))
    if run.capacity is not None and run.enrolled >= run.capacity:
        raise ValidationError(_("This run is full."))
    now = timezone.now()
    if existing is not None:
        # Coming back after withdrawing: the same enrolment, learning again.
        existing.status = EnrolmentStatus.ACTIVE
        existing.variant = variant
        existing.save(update_fields=["status", "variant"])
        enrolment = existing
    else:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    run=run, course=course, learner=learner, variant=variant, enrolled_at=now
                )
        except IntegrityError:
            raise ValidationError(_("You are already enrolled in this run.")) from None
    # The public (cached) pages are not retired for a place taken: an anonymous visitor may see
    # the places left as they were up to public_cache.TIMEOUT ago; enrolling reads them afresh.
    Run.objects.filter(pk=run.pk).update(enrolled=F("enrolled") + 1)
    tasks.record_change(course_id=course.pk, year=enrolment.enrolled_at.year)
    return enrolment


@service
def enrolment_withdraw(*, enrolment: Enrolment) -> Enrolment:
    """Leave a run; the place is freed. A completed course cannot be withdrawn from."""
    # The run first, then the enrolment: the order enrol takes its locks in.
    list(Run.objects.select_for_update().filter(pk=enrolment.run_id))
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        raise ValidationError(_("A completed course cannot be withdrawn from."))
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return enrolment
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    Run.objects.filter(pk=enrolment.run_id, enrolled__gt=0).update(enrolled=F("enrolled") - 1)
    tasks.record_change(course_id=enrolment.course_id, year=enrolment.enrolled_at.year)
    return enrolment


@service
def variant_choose(*, enrolment: Enrolment, variant: CourseVariant) -> Enrolment:
    """Learn in another language variant of the same course; progress is counted anew on
    that variant's lessons (what was done in the other one stays recorded)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check_learning(enrolment, started=False)
    if variant.course_id != enrolment.course_id:
        raise ValidationError({"variant": [_("Choose one of this course's languages.")]})
    if variant.pk != enrolment.variant_id:
        _check_offered(variant)
        enrolment.variant = variant
        enrolment.save(update_fields=["variant"])
        _refresh(enrolment)
    return enrolment


# --- progress ----------------------------------------------------------------------------


def _check_learning(enrolment: Enrolment, *, started: bool = True) -> None:
    """The learner may still work in this enrolment (and, if ``started``, the run has begun:
    choosing the language is allowed before the first day, learning is not)."""
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course."))
    run = (
        Run.objects.select_related("course")
        .only("starts_on", "ends_on", "course__status")
        .get(pk=enrolment.run_id)
    )
    if run.course.status not in review.OPEN_TO_LEARNERS:
        raise ValidationError(_("This course is no longer open to learners."))
    if started and run.starts_on > _today():
        _refuse_before_start(run)
    if run.ends_on is not None and run.ends_on < _today():
        raise ValidationError(_("This run has ended."))


def _refuse_before_start(run: Run) -> None:
    """Lessons, quizzes and completion open on the run's first day, not before."""
    raise ValidationError(
        _("This run starts on %(day)s: lessons can be completed from that day.")
        % {"day": date_format(run.starts_on, "DATE_FORMAT")}
    )


def _check_lesson(enrolment: Enrolment, lesson: Lesson) -> None:
    if lesson.module.variant_id != enrolment.variant_id:
        raise ValidationError(_("This lesson is not part of your course."))


def _required_done(enrolment: Enrolment) -> tuple[set[int], set[int]]:
    """Ids of the required lessons of the current variant, and of those the learner has done
    (a quiz lesson is done when a passing attempt exists)."""
    lessons = Lesson.objects.filter(module__variant_id=enrolment.variant_id)
    required = set(lessons.filter(required=True).values_list("pk", flat=True))
    done = set(
        LessonProgress.objects.filter(enrolment=enrolment, lesson_id__in=required).values_list(
            "lesson_id", flat=True
        )
    )
    done |= set(
        QuizAttempt.objects.filter(
            enrolment=enrolment, passed=True, quiz__lesson_id__in=required
        ).values_list("quiz__lesson_id", flat=True)
    )
    return required, done


@read_only
def enrolment_lessons_done(enrolment: Enrolment) -> set[int]:
    """Ids of every lesson of the current variant that counts as done (quizzes passed)."""
    done = set(
        LessonProgress.objects.filter(
            enrolment=enrolment, lesson__module__variant_id=enrolment.variant_id
        ).values_list("lesson_id", flat=True)
    )
    done |= set(
        QuizAttempt.objects.filter(
            enrolment=enrolment, passed=True, quiz__lesson__module__variant_id=enrolment.variant_id
        ).values_list("quiz__lesson_id", flat=True)
    )
    return done


def _refresh(enrolment: Enrolment) -> None:
    """Store the progress and record completion if every required lesson is done. The caller
    holds the lock on the enrolment."""
    required, done = _required_done(enrolment)
    progress = round(100 * len(done) / len(required)) if required else 0
    if progress != enrolment.progress:
        enrolment.progress = progress
        enrolment.save(update_fields=["progress"])
    if required and done >= required:
        _complete(enrolment)


def _complete(enrolment: Enrolment) -> bool:
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at"])
    transaction.on_commit(
        partial(signals.course_completed.send, sender=Enrolment, enrolment_id=enrolment.pk)
    )
    tasks.record_change(course_id=enrolment.course_id, year=enrolment.completed_at.year)
    return True


@service
def completion_check(*, enrolment: Enrolment) -> Enrolment:
    """Check the completion rules on the server and record completion once: calling this
    again (or at the same time) changes nothing."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.ACTIVE:
        run = Run.objects.only("starts_on").get(pk=enrolment.run_id)
        if run.starts_on > _today():
            _refuse_before_start(run)
        _refresh(enrolment)
    return enrolment


@service
def lesson_complete(*, enrolment: Enrolment, lesson: Lesson) -> Enrolment:
    """Mark a lesson done (again is fine); quizzes are done by passing them."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check_learning(enrolment)
    _check_lesson(enrolment, lesson)
    if lesson.kind == LessonKind.QUIZ:
        raise ValidationError(_("A quiz is done by passing it."))
    LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"completed_at": timezone.now()}
    )
    _refresh(enrolment)
    return enrolment


def _attempts_allowed(enrolment: Enrolment, quiz: Quiz) -> int:
    """The quiz's attempts plus those a teacher granted this learner."""
    return (
        quiz.max_attempts + QuizAttemptGrant.objects.filter(enrolment=enrolment, quiz=quiz).count()
    )


@read_only
def quiz_attempts_left(enrolment: Enrolment, quiz: Quiz) -> int:
    used = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz).count()
    return max(0, _attempts_allowed(enrolment, quiz) - used)


def _grade(quiz: Quiz, answers: dict[int, list[int]]) -> tuple[int, dict[str, list[int]]]:
    """The score in percent; refuses ids that are not this quiz's or too many choices."""
    questions = {q.pk: q for q in quiz.questions.prefetch_related("choices")}
    if not questions:
        raise ValidationError(_("This quiz has no questions yet."))
    if not isinstance(answers, dict):
        raise ValidationError(_("The answers are not valid."))
    stored: dict[str, list[int]] = {}
    right = 0
    for question_id, chosen in answers.items():
        question = questions.get(question_id) if isinstance(question_id, int) else None
        if question is None or not isinstance(chosen, list | tuple):
            raise ValidationError(_("The answers are not valid."))
        choices = {c.pk: c for c in question.choices.all()}
        picked = set(chosen)
        if len(picked) != len(chosen) or not all(
            isinstance(c, int) and c in choices for c in picked
        ):
            raise ValidationError(_("The answers are not valid."))
        if not question.multiple and len(picked) > 1:
            raise ValidationError(
                _("Question %(number)s takes one answer.") % {"number": question.position}
            )
        correct = {pk for pk, c in choices.items() if c.correct}
        if picked and picked == correct:
            right += 1
        stored[str(question_id)] = sorted(picked)
    return round(100 * right / len(questions)), stored


@service
def quiz_submit(*, enrolment: Enrolment, quiz: Quiz, answers: dict[int, list[int]]) -> QuizAttempt:
    """Grade one attempt on the server. Unanswered questions count as wrong; a submission
    with no answer at all is refused and uses no attempt."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check_learning(enrolment)
    _check_lesson(enrolment, quiz.lesson)
    attempts = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz)
    if attempts.filter(passed=True).exists():
        raise ValidationError(_("You have already passed this quiz."))
    used = attempts.count()
    if used >= _attempts_allowed(enrolment, quiz):
        raise ValidationError(
            _(
                "No attempts are left for this quiz. Contact your teacher: they can give you"
                " another attempt."
            )
        )
    if isinstance(answers, dict) and not any(answers.values()):
        # Nothing answered is not an attempt: it is not counted.
        raise ValidationError(_("Answer at least one question: an empty quiz is not submitted."))
    score, stored = _grade(quiz, answers)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrolment=enrolment,
                quiz=quiz,
                number=used + 1,
                answers=stored,
                score=score,
                passed=score >= quiz.passing_score,
                submitted_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(_("This attempt was already submitted.")) from None
    _refresh(enrolment)
    return attempt


@service
def quiz_attempt_grant(*, enrolment: Enrolment, quiz: Quiz, by: Any) -> QuizAttemptGrant:
    """Give the learner one more attempt at ``quiz`` (a teacher of the course, checked by the
    caller); recorded with who gave it and when. Refused when the quiz is not part of the
    learner's variant, is already passed, or attempts are still left."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise ValidationError(_("This learner is not learning in this course any more."))
    _check_lesson(enrolment, quiz.lesson)
    if QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz, passed=True).exists():
        raise ValidationError(_("This learner has already passed this quiz."))
    if quiz_attempts_left(enrolment, quiz) > 0:
        raise ValidationError(_("This learner still has attempts left for this quiz."))
    grant = QuizAttemptGrant.objects.create(
        enrolment=enrolment, quiz=quiz, granted_by=by, granted_at=timezone.now()
    )
    notification_send(
        users=[enrolment.learner],
        message=partial(_granted_message, quiz.lesson.title),
        url=reverse("courses:quiz", args=[enrolment.pk, quiz.lesson_id]),
        subject=gettext_lazy("You have another quiz attempt"),
    )
    return grant


def _granted_message(title: str) -> str:
    return _("Your teacher gave you another attempt at the quiz “%(title)s”.") % {"title": title}
