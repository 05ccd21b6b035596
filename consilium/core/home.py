"""The personal home: panels that apps add to a signed-in person's start page.

After sign-in the home page (``/``) lists what awaits the person: courses to continue or to
review, agreements to approve, actions due… Each app registers its panels from its
``AppConfig.ready()``::

    register_home_panel(HomePanel("courses_to_review", "courses/home/to_review.html",
                                  to_review, policy.Perm.COURSE_REVIEW_QUEUE, order=20))

``context(request)`` runs the app's own selectors and answers the template's context, or
``None`` when nothing awaits the person (the panel is then left out). A panel's template
extends ``components/home_panel.html`` (a card: blocks ``title``, ``body`` of list-group items,
``more``; ``panel_key`` is the panel's key). ``permission`` is asked
once per request, through the request's navigation (``None``: every signed-in person). Panels
are shown by ``order``, then ``key``. Core imports no app: the panels come from the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from consilium.core.navigation import navigation_for


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    permission: StrEnum | None = None
    order: int = 100


_PANELS: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    if panel.key in _PANELS:
        raise ImproperlyConfigured(f"Home panel {panel.key!r} is registered twice.")
    _PANELS[panel.key] = panel


def unregister_home_panel(key: str) -> None:
    _PANELS.pop(key, None)


def home_panels() -> list[HomePanel]:
    """The registered panels, in their order."""
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def render_home_panels(request: HttpRequest) -> list[SafeString]:
    """The panels this person may see and that have something to show, rendered."""
    navigation = navigation_for(request)
    rendered = []
    for panel in home_panels():
        if not navigation.allowed(panel.permission):
            continue
        context = panel.context(request)
        if context is not None:
            context.setdefault("panel_key", panel.key)
            rendered.append(SafeString(render_to_string(panel.template, context, request=request)))
    return rendered
