"""What the partnerships pages share: the loaders ``@requires`` checks and small forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from consilium.partnerships import selectors
from consilium.partnerships.models import Agreement, Programme


def load_agreement(request: HttpRequest, pk: int, **_kwargs: Any) -> Agreement:
    try:
        return selectors.agreement_detail(request.user, pk)
    except Agreement.DoesNotExist:
        # Not visible and not existing look the same from outside, except to those who may
        # know it exists: a hidden agreement answers 403 to a signed-in stranger.
        agreement = Agreement.objects.filter(pk=pk).prefetch_related("parties").first()
        if agreement is None:
            raise Http404 from None
        return agreement


def load_programme(request: HttpRequest, pk: int, **_kwargs: Any) -> Programme:
    try:
        return selectors.programme_detail(pk)
    except Programme.DoesNotExist:
        raise Http404 from None


def run_form(
    request: HttpRequest,
    form: Any,
    act: Callable[[dict[str, Any]], str],
    done: str,
    invalid: str | None = None,
) -> HttpResponse:
    """Run a small form's service; say how it went; go back to ``done``.

    ``act`` calls the service and returns the success message. A service refusal becomes an
    error message; an invalid form gives ``invalid`` or each field's errors with its label.
    """
    if form.is_valid():
        try:
            messages.success(request, act(form.cleaned_data))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif invalid is not None:
        messages.error(request, invalid)
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}".strip(": "))
    return redirect(done)


def detail_url(pk: int) -> str:
    return reverse("partnerships:agreement_detail", args=[pk])
