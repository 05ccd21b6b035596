"""What apps add to the shell (the base layout) from their ``AppConfig.ready()``.

* ``register_nav_permission(key, perm)``: ``nav_perms.<key>`` in every template is whether the
  viewer has ``perm`` (the navigation shows a link only to people who may open it);
* ``register_shell_value(name, compute)``: ``<name>`` in every template is ``compute(request)``,
  computed only where a template shows it and once per request (the unread notifications).

``consilium.core.context_processors.shell`` puts both into every template's context.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from consilium.core import access

_NAV: dict[str, StrEnum] = {}
_VALUES: dict[str, Callable[[HttpRequest], Any]] = {}


def register_nav_permission(key: str, perm: StrEnum) -> None:
    if key in _NAV:
        raise ImproperlyConfigured(f"nav_perms.{key} is registered twice.")
    _NAV[key] = perm


def register_shell_value(name: str, compute: Callable[[HttpRequest], Any]) -> None:
    if name in _VALUES:
        raise ImproperlyConfigured(f"The shell value {name!r} is registered twice.")
    _VALUES[name] = compute


def nav_permissions() -> dict[str, StrEnum]:
    return dict(_NAV)


def shell_values() -> dict[str, Callable[[HttpRequest], Any]]:
    return dict(_VALUES)


register_nav_permission("admin", access.Perm.ADMIN_SITE)
