"""What apps add to every template's context from their ``AppConfig.ready()``.

* ``register_nav_permission(key, perm)``: ``nav_perms.<key>`` in every template is whether the
  viewer has ``perm``, asked only where a template reads it and once per request (a page shows
  a button only to people who may use it: the directory's "Add an institution");
* ``register_shell_value(name, compute)``: ``<name>`` in every template is ``compute(request)``,
  computed only where a template shows it (the unread notifications).

The navigation's links are registered in ``core/navigation.py``.
``consilium.core.context_processors.shell`` puts all of them into every template's context.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

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
