"""Learning pages: enrol, "My learning", the learn page with lessons and quizzes, files.

A learner sees only their own enrolments ("course.learn"); every write goes through
``services.learning`` and a refusal comes back as a message, with nothing written.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core import access
from consilium.core.access import Loaded, requires
from consilium.core.html import video_embed
from consilium.core.viewkit import Done, action, form_page
from consilium.courses import signals
from consilium.courses.forms.learning import QuizForm, VariantForm
from consilium.courses.models import (
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    Quiz,
    QuizAttempt,
    Run,
)
from consilium.courses.policy import Perm
from consilium.courses.selectors import learning as selectors
from consilium.courses.services import learning as services

PAGE_SIZE = 20


def _run(request: HttpRequest, pk: int, **_kwargs: Any) -> Run:
    return get_object_or_404(Run.objects.select_related("course"), pk=pk)


def _enrolment(request: HttpRequest, pk: int, **_kwargs: Any) -> Enrolment:
    enrolment = selectors.enrolment_detail(pk)
    if enrolment is None:
        raise Http404
    return enrolment


def _lesson_of(enrolment: Enrolment, lesson_pk: int) -> Lesson:
    return get_object_or_404(
        Lesson.objects.select_related("module"), pk=lesson_pk, module__variant=enrolment.variant_id
    )


def _learn_url(enrolment: Enrolment, lesson: Lesson | None = None) -> str:
    url = reverse("courses:learn", args=[enrolment.pk])
    return f"{url}?lesson={lesson.pk}" if lesson else url


# --- enrolment ---------------------------------------------------------------------------


@require_POST
@requires(Perm.COURSE_ENROL, run=_run)
def enrol(request: AuthedRequest, pk: int, *, run: Run) -> HttpResponse:
    def enrol_in(data: dict[str, Any]) -> Done:
        enrolment = services.enrolment_create(
            run=run, learner=request.user, variant=data["variant"]
        )
        return Done(_("You are enrolled. Welcome to the course!"), to=_learn_url(enrolment))

    form = VariantForm(request.POST, variants=list(run.course.variants.all()))
    return action(request, form, enrol_in, to=reverse("courses:course", args=[run.course_id]))


@require_POST
@requires(Perm.COURSE_LEARN, enrolment=_enrolment)
def withdraw(request: AuthedRequest, pk: int, *, enrolment: Enrolment) -> HttpResponse:
    def run(data: dict[str, Any]) -> Done:
        services.enrolment_withdraw(enrolment=enrolment)
        return Done(_("You have left the course."), to="courses:my_learning")

    return action(request, None, run, to=_learn_url(enrolment))


@require_POST
@requires(Perm.COURSE_LEARN, enrolment=_enrolment)
def choose_variant(request: AuthedRequest, pk: int, *, enrolment: Enrolment) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        services.variant_choose(enrolment=enrolment, variant=data["variant"])
        return _("The course language is changed.")

    form = VariantForm(request.POST, variants=list(enrolment.course.variants.all()))
    return action(request, form, run, to=_learn_url(enrolment))


# --- my learning -------------------------------------------------------------------------


@requires(access.Perm.SIGNED_IN)
def my_learning(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.enrolment_list_of_person(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    following = selectors.lesson_next_per_enrolment(
        [e for e in rows if e.status == EnrolmentStatus.ACTIVE]
    )
    # Certificates are issued by the app above the course bank, which answers through a
    # signal: a completed enrolment without an answer yet is still being issued (queued).
    links = signals.certificate_links_of(
        Enrolment, [e.pk for e in rows if e.status == EnrolmentStatus.COMPLETED]
    )
    for enrolment in rows:
        enrolment.next_lesson = following.get(enrolment.pk)
        completed = enrolment.status == EnrolmentStatus.COMPLETED and links is not None
        enrolment.certificate_url = links.get(enrolment.pk) if completed and links else None
        enrolment.certificate_pending = completed and enrolment.certificate_url is None
    page.object_list = rows
    return render(request, "courses/learning/my_learning.html", {"page": page})


# --- learning ----------------------------------------------------------------------------


@requires(Perm.COURSE_LEARN, enrolment=_enrolment)
def learn(request: AuthedRequest, pk: int, *, enrolment: Enrolment) -> HttpResponse:
    modules = selectors.enrolment_outline(enrolment)
    lessons = [lesson for module in modules for lesson in module.lessons.all()]
    wanted = request.GET.get("lesson") or ""
    lesson = next((x for x in lessons if str(x.pk) == wanted), None)
    lesson = lesson or selectors.lesson_next(modules) or (lessons[0] if lessons else None)
    position = lessons.index(lesson) if lesson else -1
    quiz: Quiz | None = getattr(lesson, "quiz", None) if lesson else None
    context = {
        "enrolment": enrolment,
        "course": enrolment.course,
        "variant": enrolment.variant,
        "modules": modules,
        "lesson": lesson,
        # Services store lesson text already cleaned with nh3; this field only.
        "body": mark_safe(lesson.body) if lesson else "",
        "previous": lessons[position - 1] if position > 0 else None,
        "next": lessons[position + 1] if 0 <= position < len(lessons) - 1 else None,
        "video": video_embed(lesson.video_url)
        if lesson and lesson.kind == LessonKind.VIDEO
        else None,
        "quiz": quiz,
        "attempts_left": services.quiz_attempts_left(enrolment, quiz) if quiz else 0,
        "variant_form": VariantForm(
            initial={"variant": enrolment.variant_id},
            variants=list(enrolment.course.variants.all()),
        ),
        "learning": enrolment.status == EnrolmentStatus.ACTIVE,
    }
    return render(request, "courses/learning/learn.html", context)


@require_POST
@requires(Perm.COURSE_LEARN, enrolment=_enrolment)
def lesson_done(
    request: AuthedRequest, pk: int, lesson: int, *, enrolment: Enrolment
) -> HttpResponse:
    target = _lesson_of(enrolment, lesson)

    def run(data: dict[str, Any]) -> Done:
        done = services.lesson_complete(enrolment=enrolment, lesson=target)
        if done.status == EnrolmentStatus.COMPLETED:
            return Done(_("Congratulations: you have completed the course!"))
        following = selectors.lesson_next(selectors.enrolment_outline(done))
        return Done(to=_learn_url(done, following or target))

    return action(request, None, run, to=_learn_url(enrolment, target))


@requires(Perm.COURSE_LEARN, enrolment=_enrolment)
def quiz(request: AuthedRequest, pk: int, lesson: int, *, enrolment: Enrolment) -> HttpResponse:
    target = _lesson_of(enrolment, lesson)
    quiz_obj = getattr(target, "quiz", None) if target.kind == LessonKind.QUIZ else None
    if quiz_obj is None:
        raise Http404
    # Bound on every POST, even an empty one (nothing answered is refused, not ignored).
    form = QuizForm(request.POST if request.method == "POST" else None, quiz=quiz_obj)

    def context() -> dict[str, Any]:
        return {
            "enrolment": enrolment,
            "course": enrolment.course,
            "lesson": target,
            "quiz": quiz_obj,
            "attempts": selectors.attempt_list(enrolment, quiz_obj),
            "attempts_left": services.quiz_attempts_left(enrolment, quiz_obj),
        }

    def save(data: dict[str, Any]) -> Done:
        answers = form.answers()
        unanswered = len(form.questions) - len(answers)
        if answers and unanswered and not request.POST.get("confirm"):
            # Ask first: the page comes back with the answers kept, the number of questions
            # left unanswered and a "submit anyway" button (nothing is graded yet).
            page = render(
                request,
                "courses/learning/quiz.html",
                {"form": form, "unanswered": unanswered, **context()},
            )
            return Done(to=page)
        attempt = services.quiz_submit(enrolment=enrolment, quiz=quiz_obj, answers=answers)
        return Done(to=reverse("courses:quiz_result", args=[enrolment.pk, attempt.pk]))

    return form_page(request, form, save, template="courses/learning/quiz.html", context=context)


@requires(Perm.COURSE_LEARN, enrolment=_enrolment)
def quiz_result(
    request: AuthedRequest, pk: int, attempt: int, *, enrolment: Enrolment
) -> HttpResponse:
    row = get_object_or_404(
        QuizAttempt.objects.select_related("quiz__lesson"), pk=attempt, enrolment=enrolment
    )
    enrolment.refresh_from_db(fields=["status", "progress", "completed_at"])
    context = {
        "enrolment": enrolment,
        "course": enrolment.course,
        "attempt": row,
        "lesson": row.quiz.lesson,
        "attempts_left": services.quiz_attempts_left(enrolment, row.quiz),
        "following": selectors.lesson_next(selectors.enrolment_outline(enrolment)),
        "answers": selectors.attempt_review(row),
    }
    return render(request, "courses/learning/quiz_result.html", context)


def _learner_course(request: HttpRequest, pk: int, quiz: int, **_kwargs: Any) -> Loaded:
    """The course of enrolment ``pk`` (the permission is checked against it), with the
    enrolment and its quiz ``quiz`` for the view."""
    enrolment = selectors.enrolment_detail(pk)
    if enrolment is None:
        raise Http404
    quiz_obj = get_object_or_404(
        Quiz.objects.select_related("lesson__module"),
        pk=quiz,
        lesson__module__variant_id=enrolment.variant_id,
    )
    return Loaded(enrolment.course, enrolment=enrolment, quiz_obj=quiz_obj)


@require_POST
@requires(Perm.COURSE_ATTEMPT_GRANT, course=_learner_course)
def quiz_attempt_grant(
    request: AuthedRequest,
    pk: int,
    quiz: int,
    *,
    course: Any,
    enrolment: Enrolment,
    quiz_obj: Quiz,
) -> HttpResponse:
    """A teacher of the course gives a learner one more attempt (from the roster)."""

    def run(data: dict[str, Any]) -> str:
        services.quiz_attempt_grant(enrolment=enrolment, quiz=quiz_obj, by=request.user)
        name = enrolment.learner.full_name or enrolment.learner.email
        return _("%(name)s can take the quiz “%(quiz)s” once more.") % {
            "name": name,
            "quiz": quiz_obj.lesson.title,
        }

    roster = reverse("courses:course_stats", args=[enrolment.course_id])
    return action(request, None, run, to=f"{roster}#learners-h")


@requires(access.Perm.SIGNED_IN)
def lesson_file(request: AuthedRequest, lesson: int) -> FileResponse:
    """A lesson's file, for the learners of its variant and the course's staff only."""
    target = get_object_or_404(
        Lesson.objects.select_related("module__variant__course"), pk=lesson, kind=LessonKind.FILE
    )
    course = target.module.variant.course
    learner = Enrolment.objects.filter(
        learner_id=request.user.pk, variant_id=target.module.variant_id
    ).exclude(status=EnrolmentStatus.WITHDRAWN)
    staff = access.can(request.user, Perm.COURSE_AUTHOR, course) or access.can(
        request.user, Perm.COURSE_LEARNERS, course
    )
    if not staff and not learner.exists():
        raise PermissionDenied
    if not target.file:
        raise Http404
    return FileResponse(target.file.open("rb"), as_attachment=True)


urls = [
    path("runs/<int:pk>/enrol/", enrol, name="enrol"),
    path("my/", my_learning, name="my_learning"),
    path("learn/<int:pk>/", learn, name="learn"),
    path("learn/<int:pk>/variant/", choose_variant, name="learn_variant"),
    path("learn/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("learn/<int:pk>/lessons/<int:lesson>/done/", lesson_done, name="lesson_done"),
    path("learn/<int:pk>/lessons/<int:lesson>/quiz/", quiz, name="quiz"),
    path("learn/<int:pk>/attempts/<int:attempt>/", quiz_result, name="quiz_result"),
    path("lessons/<int:lesson>/file/", lesson_file, name="lesson_file"),
    path(
        "learners/<int:pk>/quizzes/<int:quiz>/grant/",
        quiz_attempt_grant,
        name="quiz_attempt_grant",
    ),
]
