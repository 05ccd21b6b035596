"""What the actions pages share: the loader ``@requires`` checks."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse

from consilium.actions import selectors
from consilium.actions.models import Action


def load_action(request: HttpRequest, pk: int, **_kwargs: Any) -> Action:
    try:
        return selectors.action_detail(request.user, pk)
    except Action.DoesNotExist:
        raise Http404 from None


def detail_url(pk: int) -> str:
    return reverse("actions:action_detail", args=[pk])
