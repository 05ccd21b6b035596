"""Course authoring pages: my courses, create, the course workspace and its small forms.

The workspace (``courses:edit``) shows every part of a course; each part is changed by a
small form that posts to its own URL and comes back to the workspace with a message, or, for
the longer forms (a lesson, a question, a variant, a run), a page of its own.

The parts (variants, modules, lessons, questions, runs) share their views: each kind is one
``Part`` below (its loader, form, services, messages and the page its changes return to), and
``add_view``, ``edit_view``, ``remove_view`` and ``move_view`` build a kind's views from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core.access import Loaded, requires
from consilium.core.html import video_embed
from consilium.core.viewkit import Done, action, form_page, posted, posted_files, save_form
from consilium.courses import review
from consilium.courses.forms.authoring import (
    CourseForm,
    CourseItemForm,
    DeleteForm,
    LessonForm,
    ModuleForm,
    MoveForm,
    QuestionForm,
    QuizForm,
    RunForm,
    SubmitForm,
    VariantForm,
    review_arguments,
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

FORM = "courses/authoring/form.html"
QUESTION = "courses/authoring/question.html"

View = Callable[..., HttpResponse]


# --- loaders (each gives the course the permission is checked against) -------------------


def _course(request: HttpRequest, pk: int, **_kwargs: Any) -> Course:
    try:
        return selectors.course_detail_for_edit(pk)
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


def _variant_of(request: HttpRequest, course: Course) -> CourseVariant:
    language = request.POST.get("language") or request.GET.get("variant") or ""
    variant = next((v for v in course.variants.all() if v.language == language), None)
    if variant is None:
        raise Http404
    return variant


def _quiz_of(lesson: Lesson) -> Quiz:
    quiz = Quiz.objects.select_related("lesson").filter(lesson=lesson).first()
    if quiz is None:
        raise Http404
    return quiz


# --- where pages go back to --------------------------------------------------------------


def _edit_url(course: Course, anchor: str = "") -> str:
    url = reverse("courses:edit", args=[course.pk])
    return f"{url}#{anchor}" if anchor else url


def _content_url(course: Course, variant: CourseVariant) -> str:
    return reverse("courses:edit", args=[course.pk]) + f"?variant={variant.language}#content"


def _quiz_url(course: Course, lesson_id: int) -> str:
    return reverse("courses:quiz_edit", args=[course.pk, lesson_id])


# --- my courses and creating one ---------------------------------------------------------


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


@requires(Perm.COURSE_CREATE)
def authored(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.course_list_authored(request.user, status=status)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    for course in page.object_list:
        course.title = selectors.variant_title(course, request.LANGUAGE_CODE)
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
    def save(data: dict[str, Any]) -> Done:
        course = services.course_create(
            by=request.user,
            owner=data["owner"],
            settings_=_settings(data),
            language=data["language"],
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
        )
        message = _("The course is created as a draft. Add its content next.")
        return Done(message, to=_edit_url(course))

    form = CourseForm(posted(request), user=request.user)
    return form_page(request, form, save, template="courses/authoring/create.html")


# --- the workspace -----------------------------------------------------------------------


def _workspace(request: HttpRequest, course: Course, settings_form: CourseForm) -> HttpResponse:
    variants = list(course.variants.all())
    language = request.GET.get("variant") or course.original_language
    current = next((v for v in variants if v.language == language), None) or (
        variants[0] if variants else None
    )
    reviews = list(selectors.review_list_of_course(course))
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
        "run_form": RunForm(course=course, prefix="run"),
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


def _with_revision(data: QueryDict, revision: int) -> QueryDict:
    copy = data.copy()
    copy["revision"] = str(revision)
    return copy


@requires(Perm.COURSE_AUTHOR, course=_course)
def edit(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    """The course workspace; a POST saves the settings (optimistic: ``revision``)."""
    form = CourseForm(
        posted(request), user=request.user, course=course, initial=_settings_initial(course)
    )

    def save(data: dict[str, Any]) -> str:
        try:
            services.course_update(
                course=course,
                by=request.user,
                expected_revision=data.get("revision") or 0,
                settings_=_settings(data),
                **review_arguments(form),
            )
        except services.ConflictError:
            # The input stays on the page, now based on the revision saved meanwhile.
            form.data = _with_revision(request.POST, Course.objects.get(pk=course.pk).revision)
            raise ValidationError(
                _(
                    "Someone else saved this course's settings while you were editing. Your "
                    "changes are below, not saved: check them against the current settings, "
                    "then save again."
                )
            ) from None
        return _("The course's settings are saved.")

    saved = save_form(request, form, save, to=_edit_url(course))
    return saved if saved is not None else _workspace(request, course, form)


# --- the parts of a course: one table per kind, four views for every kind ------------------

P = TypeVar("P", bound=models.Model)


def _no_initial(request: HttpRequest) -> dict[str, Any]:
    return {}


def _back_there(course: Course, row: Any) -> str | None:
    return None


@dataclass(frozen=True, kw_only=True)
class Add(Generic[P]):
    """Adding a part: ``service(<under>=parent, by=..., **form.arguments())``.

    ``load`` is the route's loader; ``parent`` finds the parent from the request, the course
    and what the loader handed over. Without ``page`` the form is a small one on the
    workspace (its fields prefixed with the part's name); with it, a page of its own whose
    context ``page`` gives from the parent. ``then`` may send the author elsewhere than the
    part's ``back`` page once it is added.
    """

    service: Callable[..., P]
    under: str
    parent: Callable[[HttpRequest, Course, dict[str, Any]], Any]
    said: Callable[[P], str]
    load: Callable[..., Any] = _course
    page: Callable[[Any], dict[str, Any]] | None = None
    initial: Callable[[HttpRequest], dict[str, Any]] = _no_initial
    then: Callable[[Course, P], str | None] = _back_there


@dataclass(frozen=True, kw_only=True)
class Edit(Generic[P]):
    """Editing a part on a page of its own: ``service(<name>=part, by=..., **form.arguments())``;
    ``page`` gives the page's context besides the course and the form (its title)."""

    service: Callable[..., object]
    said: Callable[[P], str]
    page: Callable[[P], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Remove(Generic[P]):
    """Removing a part. With ``confirm`` (the page's question) a page asks first, and may ask
    for the methodologist; without it a button removes the part at once."""

    service: Callable[..., object]
    said: Callable[[P], str]
    confirm: Callable[[P], str] | None = None


@dataclass(frozen=True, kw_only=True)
class Move(Generic[P]):
    """Moving a part up or down among its siblings (``direction``)."""

    service: Callable[..., object]
    said: Callable[[P], str]


@dataclass(frozen=True, kw_only=True)
class Part(Generic[P]):
    """One kind of a course's parts and how its pages treat it.

    Its views get it as the keyword argument ``name`` (the services take it by the same
    name) beside its ``course``. Each page comes back to ``back(course, parent)``, the parent
    being ``parent_of(course, part)`` (or, when adding, the parent it is added under).
    """

    name: str
    load: Callable[..., Loaded]
    form: type[CourseItemForm]
    parent_of: Callable[[Course, P], Any]
    back: Callable[[Course, Any], str]
    add: Add[P]
    edit: Edit[P]
    template: str = FORM
    remove: Remove[P] | None = None
    move: Move[P] | None = None

    def back_of(self, course: Course, row: P) -> str:
        return self.back(course, self.parent_of(course, row))


def _guarded(part: Part[Any], verb: str, load: Callable[..., Any], view: View, post: bool) -> View:
    """The view with its name (``<part>_<verb>``), its permission and, for the small forms
    posted from another page, POST only."""
    view.__name__ = view.__qualname__ = f"{part.name}_{verb}"
    guarded = requires(Perm.COURSE_AUTHOR, course=load)(view)
    return require_POST(guarded) if post else guarded


def add_view(part: Part[P]) -> View:
    add = part.add

    def view(request: AuthedRequest, pk: int, *, course: Course, **loaded: Any) -> HttpResponse:
        parent = add.parent(request, course, loaded)
        if add.page is None:
            form = part.form(request.POST, course=course, prefix=part.name)
        else:
            form = part.form(
                posted(request), posted_files(request), course=course, initial=add.initial(request)
            )

        def run(data: dict[str, Any]) -> Done:
            row = add.service(**{add.under: parent}, by=request.user, **form.arguments())
            return Done(add.said(row), to=add.then(course, row))

        back = part.back(course, parent)
        if add.page is None:
            return action(request, form, run, to=back)
        page = add.page
        return form_page(
            request,
            form,
            run,
            to=back,
            template=part.template,
            context=lambda: {"course": course, **page(parent)},
        )

    return _guarded(part, "add", add.load, view, post=add.page is None)


def edit_view(part: Part[P]) -> View:
    edit = part.edit

    def view(
        request: AuthedRequest, pk: int, item: int, *, course: Course, **loaded: Any
    ) -> HttpResponse:
        row = loaded[part.name]
        form = part.form(
            posted(request),
            posted_files(request),
            course=course,
            new=False,
            initial=part.form.initial_for(row),
        )

        def save(data: dict[str, Any]) -> str:
            edit.service(**{part.name: row}, by=request.user, **form.arguments())
            return edit.said(row)

        return form_page(
            request,
            form,
            save,
            to=part.back_of(course, row),
            template=part.template,
            context=lambda: {"course": course, **edit.page(row)},
        )

    return _guarded(part, "edit", part.load, view, post=False)


def remove_view(part: Part[P]) -> View:
    remove = part.remove
    assert remove is not None, f"{part.name} cannot be removed"

    def view(
        request: AuthedRequest, pk: int, item: int, *, course: Course, **loaded: Any
    ) -> HttpResponse:
        row = loaded[part.name]

        def removed(arguments: dict[str, Any]) -> str:
            remove.service(**{part.name: row}, by=request.user, **arguments)
            return remove.said(row)

        back = part.back_of(course, row)
        if remove.confirm is None:
            return action(request, None, lambda data: removed({}), to=back)
        form = DeleteForm(posted(request), course=course)
        return form_page(
            request,
            form,
            lambda data: removed(form.arguments()),
            to=back,
            template=FORM,
            context={"course": course, "title": remove.confirm(row), "danger": True},
        )

    return _guarded(part, "delete", part.load, view, post=remove.confirm is None)


def move_view(part: Part[P]) -> View:
    move = part.move
    assert move is not None, f"{part.name} cannot be moved"

    def view(
        request: AuthedRequest, pk: int, item: int, *, course: Course, **loaded: Any
    ) -> HttpResponse:
        row = loaded[part.name]

        def run(data: dict[str, Any]) -> str:
            move.service(**{part.name: row}, by=request.user, direction=data["direction"])
            return move.said(row)

        return action(request, MoveForm(request.POST), run, to=part.back_of(course, row))

    return _guarded(part, "move", part.load, view, post=True)


def _the_course(request: HttpRequest, course: Course, loaded: dict[str, Any]) -> Course:
    return course


VARIANT: Part[CourseVariant] = Part(
    name="variant",
    load=_variant,
    form=VariantForm,
    parent_of=lambda course, variant: course,
    back=lambda course, _parent: _edit_url(course, "variants"),
    add=Add(
        service=services.variant_add,
        under="course",
        parent=_the_course,
        said=lambda variant: (
            _("The %(language)s variant is added.") % {"language": variant.get_language_display()}
        ),
    ),
    edit=Edit(
        service=services.variant_update,
        said=lambda variant: _("The variant is saved."),
        page=lambda variant: {
            "title": _("%(language)s variant") % {"language": variant.get_language_display()}
        },
    ),
)

MODULE: Part[Module] = Part(
    name="module",
    load=_module,
    form=ModuleForm,
    parent_of=lambda course, module: module.variant,
    back=_content_url,
    add=Add(
        service=services.module_add,
        under="variant",
        parent=lambda request, course, loaded: _variant_of(request, course),
        said=lambda module: _("The module is added."),
    ),
    edit=Edit(
        service=services.module_update,
        said=lambda module: _("The module is saved."),
        page=lambda module: {"title": _("Module")},
    ),
    remove=Remove(
        service=services.module_delete,
        said=lambda module: _("The module and its lessons are removed."),
        confirm=lambda module: _("Remove the module “%(title)s”?") % {"title": module.title},
    ),
    move=Move(service=services.module_move, said=lambda module: _("The module is moved.")),
)


def _lesson_kind(request: HttpRequest) -> dict[str, Any]:
    kind = request.GET.get("kind", LessonKind.TEXT)
    return {"kind": kind if kind in LessonKind.values else LessonKind.TEXT}


LESSON: Part[Lesson] = Part(
    name="lesson",
    load=_lesson,
    form=LessonForm,
    parent_of=lambda course, lesson: lesson.module,
    back=lambda course, module: _content_url(course, module.variant),
    add=Add(
        service=services.lesson_add,
        under="module",
        load=_module,
        parent=lambda request, course, loaded: loaded["module"],
        said=lambda lesson: _("The lesson is added."),
        page=lambda module: {
            "title": _("A new lesson in “%(module)s”") % {"module": module.title},
            "multipart": True,
        },
        initial=_lesson_kind,
        then=lambda course, lesson: (
            _quiz_url(course, lesson.pk) if lesson.kind == LessonKind.QUIZ else None
        ),
    ),
    edit=Edit(
        service=services.lesson_update,
        said=lambda lesson: _("The lesson is saved."),
        page=lambda lesson: {
            "title": _("%(kind)s lesson") % {"kind": lesson.get_kind_display()},
            "multipart": True,
            "lesson": lesson,
        },
    ),
    remove=Remove(
        service=services.lesson_delete,
        said=lambda lesson: _("The lesson is removed."),
        confirm=lambda lesson: _("Remove the lesson “%(title)s”?") % {"title": lesson.title},
    ),
    move=Move(service=services.lesson_move, said=lambda lesson: _("The lesson is moved.")),
)

QUESTION_PART: Part[Question] = Part(
    name="question",
    load=_question,
    form=QuestionForm,
    template=QUESTION,
    parent_of=lambda course, question: question.quiz,
    back=lambda course, quiz: _quiz_url(course, quiz.lesson_id),
    add=Add(
        service=services.question_add,
        under="quiz",
        load=_lesson,
        parent=lambda request, course, loaded: _quiz_of(loaded["lesson"]),
        said=lambda question: _("The question is added."),
        page=lambda quiz: {"lesson": quiz.lesson},
    ),
    edit=Edit(
        service=services.question_update,
        said=lambda question: _("The question is saved."),
        page=lambda question: {"lesson": question.quiz.lesson, "question": question},
    ),
    remove=Remove(
        service=services.question_delete,
        said=lambda question: _("The question is removed."),
        confirm=lambda question: (
            _("Remove the question “%(text)s”?") % {"text": question.text[:80]}
        ),
    ),
)

RUN: Part[Run] = Part(
    name="run",
    load=_run,
    form=RunForm,
    parent_of=lambda course, run: course,
    back=lambda course, _parent: _edit_url(course, "runs"),
    add=Add(
        service=services.run_create,
        under="course",
        parent=_the_course,
        said=lambda run: _("The run is added."),
    ),
    edit=Edit(
        service=services.run_update,
        said=lambda run: _("The run is saved."),
        page=lambda run: {"title": _("Run")},
    ),
    remove=Remove(service=services.run_delete, said=lambda run: _("The run is deleted.")),
)

variant_add = add_view(VARIANT)
variant_edit = edit_view(VARIANT)
module_add = add_view(MODULE)
module_edit = edit_view(MODULE)
module_delete = remove_view(MODULE)
module_move = move_view(MODULE)
lesson_add = add_view(LESSON)
lesson_edit = edit_view(LESSON)
lesson_delete = remove_view(LESSON)
lesson_move = move_view(LESSON)
question_add = add_view(QUESTION_PART)
question_edit = edit_view(QUESTION_PART)
question_delete = remove_view(QUESTION_PART)
run_add = add_view(RUN)
run_edit = edit_view(RUN)
run_delete = remove_view(RUN)


# --- a lesson as learners see it, and a quiz's settings -----------------------------------


def _questions(lesson: Lesson) -> list[Question]:
    if lesson.kind != LessonKind.QUIZ:
        return []
    return list(
        Question.objects.filter(quiz__lesson=lesson)
        .prefetch_related("choices")
        .order_by("position")
    )


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


@requires(Perm.COURSE_AUTHOR, course=_lesson)
def quiz_edit(
    request: AuthedRequest, pk: int, item: int, *, course: Course, lesson: Lesson
) -> HttpResponse:
    """The quiz's settings (POST) and its questions, with a form to add one."""
    quiz = _quiz_of(lesson)
    form = QuizForm(posted(request), course=course, initial=QuizForm.initial_for(quiz))

    def save(data: dict[str, Any]) -> str:
        services.quiz_update(quiz=quiz, by=request.user, **form.arguments())
        return _("The quiz's settings are saved.")

    return form_page(
        request,
        form,
        save,
        to=_quiz_url(course, lesson.pk),
        template="courses/authoring/quiz.html",
        context=lambda: {
            "course": course,
            "lesson": lesson,
            "quiz": quiz,
            "questions": _questions(lesson),
            "question_form": QuestionForm(course=course, initial={"correct_1": True}),
        },
    )


# --- review steps the authors take -------------------------------------------------------


@require_POST
@requires(Perm.COURSE_AUTHOR, course=_course)
def submit(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        reviewing.review_submit(
            course=course, reviewer=data["reviewer"], note=data["note"], by=request.user
        )
        return _("The course is sent for review. The methodologist is told.")

    form = SubmitForm(request.POST, course=course)
    return action(request, form, run, to=_edit_url(course, "review"))


def _step(
    request: AuthedRequest, course: Course, step: Callable[..., Course], message: str
) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        step(course=course, by=request.user)
        return message

    return action(request, None, run, to=_edit_url(course, "review"))


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
