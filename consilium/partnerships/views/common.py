"""What the partnerships pages share: the loaders ``@requires`` checks, and the agreement's address."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
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


def detail_url(pk: int) -> str:
    return reverse("partnerships:agreement_detail", args=[pk])
