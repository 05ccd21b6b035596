"""Views' one way to run a form through a service and say how it went.

Every page that changes something does the same: bind a form, call a service with what the
form cleaned, turn the service's ``ValidationError`` into form errors or a message, say
success, redirect. Two shapes cover them:

- ``action(request, form, run, to=...)``: a small form posted from another page (a button, a
  row of a table). Success and refusal both come back as messages and a redirect; an invalid
  form's errors become messages that name each field by its label.
- ``form_page(request, form, save, template=..., to=...)``: a page of its own. A GET shows the
  form; a valid POST calls ``save`` and redirects; a refusal goes onto the form's fields
  (``apply_errors``) and the page is shown again, with ``error_status`` (200, or 400 where the
  page answered so before). ``save_form`` is its first half, for a view that renders its page
  itself: ``return save_form(...) or render_my_page(form)``.

``run`` and ``save`` receive the form's ``cleaned_data`` (``{}`` without a form), call the
service and return the success message, or a ``Done`` when the next page depends on what the
service returned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict

from consilium.core.forms import apply_errors


@dataclass(frozen=True)
class Done:
    """What a service call came to: the success message (none when empty) and, when it is not
    the view's ``to``, where to go next: a URL (or URL name), or a response of the view's own
    (say, a redirect that also sets a cookie)."""

    message: str = ""
    to: str | HttpResponse | None = None


Outcome: TypeAlias = str | Done
Run: TypeAlias = Callable[[dict[str, Any]], Outcome]
Context: TypeAlias = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def posted(request: HttpRequest) -> QueryDict | None:
    """The posted data to bind a form with, or None on a GET (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict[str, Any] | None:
    """The uploaded files to bind a form with, or None on a GET."""
    return request.FILES if request.method == "POST" else None


def refusal(exc: ValidationError) -> str:
    """A service's refusal as one message."""
    return " ".join(exc.messages)


def form_error_messages(form: forms.BaseForm) -> list[str]:
    """An invalid form's errors as messages, one per field, each led by the field's label."""
    found = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        label = form[name].label if name in form.fields else ""
        found.append(f"{label}: {text}" if label else text)
    return found


def action(
    request: HttpRequest,
    form: forms.BaseForm | None,
    run: Run,
    *,
    to: str,
    invalid: str | None = None,
) -> HttpResponse:
    """Run a small form's service and go back to ``to`` with a message saying how it went.

    ``form`` is bound by the caller (None when the action has nothing to fill in). A service
    refusal becomes one error message. An invalid form gives ``invalid`` when the caller has a
    better message for it (a form of hidden fields), else one message per field with its label.
    """
    if form is not None and not form.is_valid():
        if invalid is not None:
            messages.error(request, invalid)
        else:
            for message in form_error_messages(form):
                messages.error(request, message)
        return redirect(to)
    try:
        outcome = run(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        messages.error(request, refusal(exc))
        return redirect(to)
    return _done(request, outcome, to)


def save_form(
    request: HttpRequest, form: forms.BaseForm, save: Run, *, to: str | None = None
) -> HttpResponse | None:
    """On a valid POST, call ``save``; return the redirect when it succeeded.

    ``to`` may be left out when every ``save`` returns a ``Done`` that says where to go (the
    page of the object it created). None means the page is to be shown (again): a GET, an invalid form, or a refusal, which is
    put on the form (on the fields it names, the rest above the form).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        outcome = save(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    return _done(request, outcome, to)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Run,
    *,
    template: str,
    to: str | None = None,
    context: Context | None = None,
    error_status: int = 200,
) -> HttpResponse:
    """A page with one form: shown on a GET, saved on a POST (see ``save_form``).

    The template gets ``form`` and ``context`` (a callable is called only when the page is
    shown); a form with errors answers ``error_status``.
    """
    done = save_form(request, form, save, to=to)
    if done is not None:
        return done
    extra = context() if callable(context) else context or {}
    status = error_status if form.errors else 200
    return render(request, template, {"form": form, **extra}, status=status)


def _done(request: HttpRequest, outcome: Outcome, to: str | None) -> HttpResponse:
    done = outcome if isinstance(outcome, Done) else Done(outcome)
    target = done.to or to
    if target is None:
        raise ValueError("the view gave no `to` and the service's Done no target")
    if done.message:
        messages.success(request, done.message)
    if isinstance(target, HttpResponse):
        return target
    return redirect(target)
