"""Course authoring pages: my courses, create, the course workspace and its small forms.

The workspace (``courses:edit``) shows every part of a course; each part is changed by a
small form that posts to its own URL and comes back to the workspace with a message, or, for
the longer forms (a lesson, a question, a variant, a run), a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core.access import Loaded, requires
from consilium.core.forms import apply_errors
from consilium.core.html import video_embed
from consilium.courses import review
from consilium.courses.forms.authoring import (
    CourseForm,
    DeleteForm,
    LessonForm,
    ModuleForm,
    MoveForm,
    QuestionForm,
    QuizForm,
    RunForm,
    SubmitForm,
    VariantForm,
)
from consilium.courses.models import (
    Course,
    CourseStatus,
    CourseVariant,
    Lesson,
    LessonKind,
    Module,
    Question,
    Quiz,
    Run,
)
from consilium.courses.policy import Perm
from consilium.courses.selectors import authoring as selectors
from consilium.courses.services import authoring as services
from consilium.courses.services import reviewing


def _data(request: HttpRequest) -> Any:
    """The posted data, or None on a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


# --- loaders (each gives the course the permission is checked against) -------------------


def _course(request: HttpRequest, pk: int, **_kwargs: Any) -> Course:
    try:
        return selectors.course_for_edit(pk)
    except Course.DoesNotExist:
        raise Http404 from None


def _load(model: type[Any], course_path: str, name: str, **related: Any) -> Callable[..., Loaded]:
    """A loader of one ``model`` row by ``item``: the permission is checked against its course
    (the view's ``course``), and the view gets the row as the keyword argument ``name``."""

    def load(request: HttpRequest, pk: int, item: int, **_kwargs: Any) -> Loaded:
        row = model.objects.select_related(*related.get("select", ())).filter(pk=item).first()
        if row is None:
            raise Http404
        course = _course(request, pk)
        if _course_id(row, course_path) != course.pk:
            raise Http404
        return Loaded(course, **{name: row})

    return load


def _course_id(row: Any, course_path: str) -> int:
    value = row
    for part in course_path.split("."):
        value = getattr(value, part)
    return int(value)


_variant = _load(CourseVariant, "course_id", "variant")
_module = _load(Module, "variant.course_id", "module", select=("variant",))
_lesson = _load(Lesson, "module.variant.course_id", "lesson", select=("module__variant",))
_question = _load(
    Question,
    "quiz.lesson.module.variant.course_id",
    "question",
    select=("quiz__lesson__module__variant",),
)
_run = _load(Run, "course_id", "run")


def _edit_url(course: Course, anchor: str = "") -> str:
    url = reverse("courses:edit", args=[course.pk])
    return f"{url}#{anchor}" if anchor else url


def _reviewer(form: Any) -> dict[str, Any]:
    data = form.cleaned_data
    return {"reviewer": data.get("reviewer"), "note": data.get("note") or ""}


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}".strip(": "))


def _settings(data: dict[str, Any]) -> services.Settings:
    return services.Settings(
        discipline=data["discipline"],
        audience=data["audience"],
        level=data["level"],
        hours=data["hours"],
        credits=data["credits"],
        tags=data.get("tags") or "",
        co_authors=list(data.get("co_authors") or []),
    )


def _form_page(
    request: HttpRequest, course: Course, form: Any, title: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "courses/authoring/form.html",
        {"course": course, "form": form, "title": title, **extra},
    )


# --- my courses and creating one ---------------------------------------------------------


@requires(Perm.COURSE_CREATE)
def authored(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.authored_courses(request.user, status=status)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    for course in page.object_list:
        course.title = selectors.variant_title(course, request.LANGUAGE_CODE)  # type: ignore[attr-defined]
    return render(
        request,
        "courses/authoring/authored.html",
        {
            "page": page,
            "status": status if status in CourseStatus.values else "",
            "statuses": CourseStatus.choices,
        },
    )


@requires(Perm.COURSE_CREATE)
def create(request: AuthedRequest) -> HttpResponse:
    form = CourseForm(_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.course_create(
                by=request.user,
                owner=data["owner"],
                settings_=_settings(data),
                language=data["language"],
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The course is created as a draft. Add its content next."))
            return redirect(_edit_url(course))
    return render(request, "courses/authoring/create.html", {"form": form})


# --- the workspace -----------------------------------------------------------------------


def _workspace(request: HttpRequest, course: Course, settings_form: CourseForm) -> HttpResponse:
    variants = list(course.variants.all())
    language = request.GET.get("variant") or course.original_language
    current = next((v for v in variants if v.language == language), None) or (
        variants[0] if variants else None
    )
    reviews = list(selectors.course_reviews(course))
    editable = course.status in review.EDITABLE
    context = {
        "course": course,
        "title": selectors.variant_title(course, course.original_language),
        "variants": variants,
        "current": current,
        "modules": list(current.modules.all()) if current else [],
        "runs": list(course.runs.all()),
        "reviews": reviews,
        "pending": next((r for r in reviews if r.verdict == "pending"), None),
        "editable": editable,
        "published": course.status == CourseStatus.PUBLISHED,
        "settings_form": settings_form,
        "variant_form": VariantForm(course=course, prefix="variant"),
        "module_form": ModuleForm(course=course, prefix="module"),
        "run_form": RunForm(prefix="run"),
        "submit_form": SubmitForm(course=course),
        "delete_form": DeleteForm(course=course),
        "can_submit": CourseStatus.IN_REVIEW in review.allowed(course.status)
        and course.status != CourseStatus.PUBLISHED,
        "can_withdraw": course.status == CourseStatus.IN_REVIEW,
        "can_archive": CourseStatus.ARCHIVED in review.allowed(course.status),
        "can_restore": course.status == CourseStatus.ARCHIVED,
        "lesson_kinds": LessonKind.choices,
    }
    return render(request, "courses/authoring/edit.html", context)


def _settings_initial(course: Course) -> dict[str, Any]:
    return {
        "co_authors": list(course.co_authors.all()),
        "discipline": course.discipline_id,
        "audience": course.audience,
        "level": course.level,
        "hours": course.hours,
        "credits": course.credits,
        "tags": course.tags,
        "revision": course.revision,
    }


@requires(Perm.COURSE_AUTHOR, course=_course)
def edit(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    """The course workspace; a POST saves the settings (optimistic: ``revision``)."""
    form = CourseForm(
        _data(request), user=request.user, course=course, initial=_settings_initial(course)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.course_update(
                course=course,
                by=request.user,
                expected_revision=data.get("revision") or 0,
                settings_=_settings(data),
                **_reviewer(form),
            )
        except services.ConflictError:
            form.add_error(
                None,
                _(
                    "Someone else saved this course's settings while you were editing. Your "
                    "changes are below, not saved: check them against the current settings, "
                    "then save again."
                ),
            )
            fresh = Course.objects.get(pk=course.pk)
            data_copy = request.POST.copy()
            data_copy["revision"] = str(fresh.revision)
            form.data = data_copy
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The course's settings are saved."))
            return redirect(_edit_url(course))
    return _workspace(request, course, form)


def _act(
    request: HttpRequest, course: Course, form: Any, act: Callable[[], str], anchor: str
) -> HttpResponse:
    if form.is_valid():
        try:
            messages.success(request, act())
        except ValidationError as exc:
            _refused(request, exc)
    else:
        _form_errors(request, form)
    return redirect(_edit_url(course, anchor))


# --- variants ----------------------------------------------------------------------------


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def variant_add(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    form = VariantForm(request.POST, course=course, prefix="variant")

    def act() -> str:
        data = form.cleaned_data
        variant = services.variant_add(
            course=course,
            by=request.user,
            language=data["language"],
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
            translation_status=data["translation_status"],
            **_reviewer(form),
        )
        return _("The %(language)s variant is added.") % {
            "language": variant.get_language_display()
        }

    return _act(request, course, form, act, "variants")


@requires(Perm.COURSE_AUTHOR, course=_variant)
def variant_edit(
    request: AuthedRequest, pk: int, item: int, *, course: Course, variant: CourseVariant
) -> HttpResponse:
    form = VariantForm(
        _data(request),
        course=course,
        new=False,
        initial={
            "title": variant.title,
            "summary": variant.summary,
            "description": variant.description,
            "translation_status": variant.translation_status,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.variant_update(
                variant=variant,
                by=request.user,
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                translation_status=data["translation_status"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The variant is saved."))
            return redirect(_edit_url(course, "variants"))
    return _form_page(
        request,
        course,
        form,
        _("%(language)s variant") % {"language": variant.get_language_display()},
    )


# --- modules -----------------------------------------------------------------------------


def _variant_of(request: HttpRequest, course: Course) -> CourseVariant:
    language = request.POST.get("language") or request.GET.get("variant") or ""
    variant = next((v for v in course.variants.all() if v.language == language), None)
    if variant is None:
        raise Http404
    return variant


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def module_add(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    variant = _variant_of(request, course)
    form = ModuleForm(request.POST, course=course, prefix="module")

    def act() -> str:
        services.module_add(
            variant=variant,
            by=request.user,
            title=form.cleaned_data["title"],
            **_reviewer(form),
        )
        return _("The module is added.")

    response = _act(request, course, form, act, "content")
    response["Location"] = (
        reverse("courses:edit", args=[pk]) + f"?variant={variant.language}#content"
    )
    return response


@requires(Perm.COURSE_AUTHOR, course=_module)
def module_edit(
    request: AuthedRequest, pk: int, item: int, *, course: Course, module: Module
) -> HttpResponse:
    form = ModuleForm(_data(request), course=course, new=False, initial={"title": module.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(
                module=module,
                by=request.user,
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The module is saved."))
            return redirect(_content_url(course, module.variant))
    return _form_page(request, course, form, _("Module"))


def _content_url(course: Course, variant: CourseVariant) -> str:
    return reverse("courses:edit", args=[course.pk]) + f"?variant={variant.language}#content"


@requires(Perm.COURSE_AUTHOR, course=_module)
def module_delete(
    request: AuthedRequest, pk: int, item: int, *, course: Course, module: Module
) -> HttpResponse:
    form = DeleteForm(_data(request), course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_delete(
                module=module,
                by=request.user,
                **_reviewer(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The module and its lessons are removed."))
            return redirect(_content_url(course, module.variant))
    return _form_page(
        request,
        course,
        form,
        _("Remove the module “%(title)s”?") % {"title": module.title},
        danger=True,
    )


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_module)
def module_move(
    request: AuthedRequest, pk: int, item: int, *, course: Course, module: Module
) -> HttpResponse:
    form = MoveForm(request.POST)

    def act() -> str:
        services.module_move(
            module=module,
            by=request.user,
            direction=form.cleaned_data["direction"],
        )
        return _("The module is moved.")

    _act(request, course, form, act, "content")
    return redirect(_content_url(course, module.variant))


# --- lessons -----------------------------------------------------------------------------


def _lesson_data(form: Any, request: HttpRequest) -> services.LessonData:
    data = form.cleaned_data
    return services.LessonData(
        title=data["title"],
        body=data["body"],
        video_url=data["video_url"],
        link_url=data["link_url"],
        upload=request.FILES.get("file"),
        required=data["required"],
    )


@requires(Perm.COURSE_AUTHOR, course=_module)
def lesson_add(
    request: AuthedRequest, pk: int, item: int, *, course: Course, module: Module
) -> HttpResponse:
    kind = request.GET.get("kind", LessonKind.TEXT)
    form = LessonForm(
        _data(request),
        _files(request),
        course=course,
        initial={"kind": kind if kind in LessonKind.values else LessonKind.TEXT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_add(
                module=module,
                by=request.user,
                kind=form.cleaned_data["kind"],
                data=_lesson_data(form, request),
                **_reviewer(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The lesson is added."))
            if lesson.kind == LessonKind.QUIZ:
                return redirect("courses:quiz_edit", pk=course.pk, item=lesson.pk)
            return redirect(_content_url(course, module.variant))
    return _form_page(
        request,
        course,
        form,
        _("A new lesson in “%(module)s”") % {"module": module.title},
        multipart=True,
    )


@requires(Perm.COURSE_AUTHOR, course=_lesson)
def lesson_edit(
    request: AuthedRequest, pk: int, item: int, *, course: Course, lesson: Lesson
) -> HttpResponse:
    form = LessonForm(
        _data(request),
        _files(request),
        course=course,
        new=False,
        initial={
            "title": lesson.title,
            "body": lesson.body,
            "video_url": lesson.video_url,
            "link_url": lesson.link_url,
            "required": lesson.required,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_update(
                lesson=lesson,
                by=request.user,
                data=_lesson_data(form, request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The lesson is saved."))
            return redirect(_content_url(course, lesson.module.variant))
    return _form_page(
        request,
        course,
        form,
        _("%(kind)s lesson") % {"kind": lesson.get_kind_display()},
        multipart=True,
        lesson=lesson,
    )


@requires(Perm.COURSE_AUTHOR, course=_lesson)
def lesson_delete(
    request: AuthedRequest, pk: int, item: int, *, course: Course, lesson: Lesson
) -> HttpResponse:
    form = DeleteForm(_data(request), course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_delete(
                lesson=lesson,
                by=request.user,
                **_reviewer(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The lesson is removed."))
            return redirect(_content_url(course, lesson.module.variant))
    return _form_page(
        request,
        course,
        form,
        _("Remove the lesson “%(title)s”?") % {"title": lesson.title},
        danger=True,
    )


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_lesson)
def lesson_move(
    request: AuthedRequest, pk: int, item: int, *, course: Course, lesson: Lesson
) -> HttpResponse:
    form = MoveForm(request.POST)

    def act() -> str:
        services.lesson_move(
            lesson=lesson,
            by=request.user,
            direction=form.cleaned_data["direction"],
        )
        return _("The lesson is moved.")

    _act(request, course, form, act, "content")
    return redirect(_content_url(course, lesson.module.variant))


@requires(Perm.COURSE_AUTHOR, course=_lesson)
def lesson_preview(
    request: AuthedRequest, pk: int, item: int, *, course: Course, lesson: Lesson
) -> HttpResponse:
    """The lesson as learners will see it (read-only)."""
    return render(
        request,
        "courses/authoring/lesson_preview.html",
        {
            "course": course,
            "lesson": lesson,
            "player": video_embed(lesson.video_url) if lesson.video_url else None,
            "questions": _questions(lesson),
        },
    )


def _questions(lesson: Lesson) -> list[Question]:
    if lesson.kind != LessonKind.QUIZ:
        return []
    return list(
        Question.objects.filter(quiz__lesson=lesson)
        .prefetch_related("choices")
        .order_by("position")
    )


# --- quizzes -----------------------------------------------------------------------------


def _quiz_of(lesson: Lesson) -> Quiz:
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None:
        raise Http404
    return quiz


@requires(Perm.COURSE_AUTHOR, course=_lesson)
def quiz_edit(
    request: AuthedRequest, pk: int, item: int, *, course: Course, lesson: Lesson
) -> HttpResponse:
    """The quiz's settings (POST) and its questions, with a form to add one."""
    quiz = _quiz_of(lesson)
    form = QuizForm(
        _data(request),
        course=course,
        initial={"passing_score": quiz.passing_score, "max_attempts": quiz.max_attempts},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quiz_update(
                quiz=quiz,
                by=request.user,
                passing_score=form.cleaned_data["passing_score"],
                max_attempts=form.cleaned_data["max_attempts"],
                **_reviewer(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The quiz's settings are saved."))
            return redirect("courses:quiz_edit", pk=pk, item=item)
    return render(
        request,
        "courses/authoring/quiz.html",
        {
            "course": course,
            "lesson": lesson,
            "quiz": quiz,
            "form": form,
            "questions": _questions(lesson),
            "question_form": QuestionForm(course=course, initial={"correct_1": True}),
        },
    )


@requires(Perm.COURSE_AUTHOR, course=_lesson)
def question_add(
    request: AuthedRequest, pk: int, item: int, *, course: Course, lesson: Lesson
) -> HttpResponse:
    quiz = _quiz_of(lesson)
    form = QuestionForm(_data(request), course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                quiz=quiz,
                by=request.user,
                text=form.cleaned_data["text"],
                multiple=form.cleaned_data["multiple"],
                choices=form.choices(),
                **_reviewer(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect("courses:quiz_edit", pk=pk, item=item)
    return render(
        request,
        "courses/authoring/question.html",
        {"course": course, "lesson": lesson, "form": form},
    )


@requires(Perm.COURSE_AUTHOR, course=_question)
def question_edit(
    request: AuthedRequest, pk: int, item: int, *, course: Course, question: Question
) -> HttpResponse:
    form = QuestionForm(_data(request), course=course, initial=QuestionForm.initial_for(question))
    lesson = question.quiz.lesson
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question,
                by=request.user,
                text=form.cleaned_data["text"],
                multiple=form.cleaned_data["multiple"],
                choices=form.choices(),
                **_reviewer(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("courses:quiz_edit", pk=pk, item=lesson.pk)
    return render(
        request,
        "courses/authoring/question.html",
        {"course": course, "lesson": lesson, "form": form, "question": question},
    )


@requires(Perm.COURSE_AUTHOR, course=_question)
def question_delete(
    request: AuthedRequest, pk: int, item: int, *, course: Course, question: Question
) -> HttpResponse:
    lesson = question.quiz.lesson
    form = DeleteForm(_data(request), course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_delete(
                question=question,
                by=request.user,
                **_reviewer(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question is removed."))
            return redirect("courses:quiz_edit", pk=pk, item=lesson.pk)
    return _form_page(
        request,
        course,
        form,
        _("Remove the question “%(text)s”?") % {"text": question.text[:80]},
        danger=True,
    )


# --- runs --------------------------------------------------------------------------------


def _run_data(data: dict[str, Any]) -> services.RunData:
    return services.RunData(
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        enrolment_opens_on=data["enrolment_opens_on"],
        enrolment_closes_on=data["enrolment_closes_on"],
        pacing=data["pacing"],
        capacity=data["capacity"],
    )


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def run_add(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    form = RunForm(request.POST, prefix="run")

    def act() -> str:
        services.run_create(
            course=course,
            by=request.user,
            data=_run_data(form.cleaned_data),
        )
        return _("The run is added.")

    return _act(request, course, form, act, "runs")


@requires(Perm.COURSE_AUTHOR, course=_run)
def run_edit(
    request: AuthedRequest, pk: int, item: int, *, course: Course, run: Run
) -> HttpResponse:
    form = RunForm(
        _data(request),
        initial={
            name: getattr(run, name)
            for name in (
                "starts_on",
                "ends_on",
                "enrolment_opens_on",
                "enrolment_closes_on",
                "pacing",
                "capacity",
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.run_update(
                run=run,
                by=request.user,
                data=_run_data(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The run is saved."))
            return redirect(_edit_url(course, "runs"))
    return _form_page(request, course, form, _("Run"))


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_run)
def run_delete(
    request: AuthedRequest, pk: int, item: int, *, course: Course, run: Run
) -> HttpResponse:
    try:
        services.run_delete(run=run, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The run is deleted."))
    return redirect(_edit_url(course, "runs"))


# --- review steps the authors take -------------------------------------------------------


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def submit(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    form = SubmitForm(request.POST, course=course)

    def act() -> str:
        reviewing.review_submit(
            course=course,
            reviewer=form.cleaned_data["reviewer"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        return _("The course is sent for review. The methodologist is told.")

    return _act(request, course, form, act, "review")


def _step(
    request: AuthedRequest, course: Course, step: Callable[..., Course], message: str
) -> HttpResponse:
    try:
        step(course=course, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, message)
    return redirect(_edit_url(course, "review"))


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def withdraw(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    return _step(
        request,
        course,
        reviewing.review_withdraw,
        _("The course is withdrawn from review: a draft again."),
    )


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def archive(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    return _step(request, course, reviewing.course_archive, _("The course is archived."))


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def restore(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    return _step(request, course, reviewing.course_restore, _("The course is restored as a draft."))


urls = [
    path("authoring/", authored, name="authored"),
    path("authoring/new/", create, name="create"),
    path("authoring/<int:pk>/", edit, name="edit"),
    path("authoring/<int:pk>/variants/", variant_add, name="variant_add"),
    path("authoring/<int:pk>/variants/<int:item>/", variant_edit, name="variant_edit"),
    path("authoring/<int:pk>/modules/", module_add, name="module_add"),
    path("authoring/<int:pk>/modules/<int:item>/", module_edit, name="module_edit"),
    path("authoring/<int:pk>/modules/<int:item>/delete/", module_delete, name="module_delete"),
    path("authoring/<int:pk>/modules/<int:item>/move/", module_move, name="module_move"),
    path("authoring/<int:pk>/modules/<int:item>/lessons/", lesson_add, name="lesson_add"),
    path("authoring/<int:pk>/lessons/<int:item>/", lesson_edit, name="lesson_edit"),
    path("authoring/<int:pk>/lessons/<int:item>/delete/", lesson_delete, name="lesson_delete"),
    path("authoring/<int:pk>/lessons/<int:item>/move/", lesson_move, name="lesson_move"),
    path("authoring/<int:pk>/lessons/<int:item>/preview/", lesson_preview, name="lesson_preview"),
    path("authoring/<int:pk>/lessons/<int:item>/quiz/", quiz_edit, name="quiz_edit"),
    path("authoring/<int:pk>/lessons/<int:item>/questions/", question_add, name="question_add"),
    path("authoring/<int:pk>/questions/<int:item>/", question_edit, name="question_edit"),
    path(
        "authoring/<int:pk>/questions/<int:item>/delete/", question_delete, name="question_delete"
    ),
    path("authoring/<int:pk>/runs/", run_add, name="run_add"),
    path("authoring/<int:pk>/runs/<int:item>/", run_edit, name="run_edit"),
    path("authoring/<int:pk>/runs/<int:item>/delete/", run_delete, name="run_delete"),
    path("authoring/<int:pk>/submit/", submit, name="review_submit"),
    path("authoring/<int:pk>/withdraw/", withdraw, name="review_withdraw"),
    path("authoring/<int:pk>/archive/", archive, name="archive"),
    path("authoring/<int:pk>/restore/", restore, name="restore"),
]
