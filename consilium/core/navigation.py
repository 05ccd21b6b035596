"""The navigation: the entries apps register from their ``AppConfig.ready()``.

``register_nav_entry(NavEntry(...))`` adds a link to one place of the shell
(``templates/base.html``):

* ``"main"``: the main navigation bar, left;
* ``"bar"``: the right of the bar, before the account menu (the notifications' bell);
* ``"user_menu"``: the signed-in person's account menu, above "Sign out";
* ``"footer"``: the footer's links.

Each place lists its entries by ``order`` (then ``key``), showing only those the viewer has the
``permission`` for (``None``: everyone; ``access.Perm.SIGNED_IN``: anyone signed in). An entry
is the current page (``active``: the ``active`` class and ``aria-current="page"``, in the main
navigation and the bar) when the path starts with one of its ``active_prefix``es and no entry
of the same place, shown or not, claims a longer prefix of it: "Courses" (``/courses/``) is
not current under ``/courses/my/``, which "My learning" claims. An entry with a ``template``
renders its own ``<li>`` (given ``link``); the others are plain links.

``consilium.core.context_processors.shell`` puts ``navigation`` into every template: the links
of each place are worked out on first use and once per request (whatever the number of
templates rendered with it), and each permission is asked once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Literal

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from consilium.core import access

Place = Literal["main", "bar", "user_menu", "footer"]
PLACES: tuple[Place, ...] = ("main", "bar", "user_menu", "footer")


@dataclass(frozen=True)
class NavEntry:
    key: str  # unique within its place
    label: str | Promise  # a lazy translation: gettext_lazy("Directory")
    url_name: str  # reversed without arguments
    permission: StrEnum | None = None  # None: shown to everyone
    place: Place = "main"
    order: int = 100
    active_prefix: str | tuple[str, ...] = ()  # paths under which it is the current page
    template: str | None = None  # renders the entry's own <li> (given ``link``)

    @property
    def prefixes(self) -> tuple[str, ...]:
        prefix = self.active_prefix
        return (prefix,) if isinstance(prefix, str) else prefix


_ENTRIES: dict[tuple[str, str], NavEntry] = {}


def register_nav_entry(entry: NavEntry) -> None:
    if entry.place not in PLACES:
        raise ImproperlyConfigured(f"Navigation place {entry.place!r} is not one of {PLACES}.")
    if (entry.place, entry.key) in _ENTRIES:
        raise ImproperlyConfigured(
            f"Navigation entry {entry.place}/{entry.key} is registered twice."
        )
    _ENTRIES[entry.place, entry.key] = entry


def unregister_nav_entry(place: Place, key: str) -> None:
    _ENTRIES.pop((place, key), None)


def nav_entries(place: Place | None = None) -> list[NavEntry]:
    """The registered entries (of one place), in their order."""
    found = [e for e in _ENTRIES.values() if place is None or e.place == place]
    return sorted(found, key=lambda e: (PLACES.index(e.place), e.order, e.key))


@dataclass(frozen=True)
class NavLink:
    """An entry as one request shows it."""

    entry: NavEntry
    url: str
    active: bool

    @property
    def label(self) -> str | Promise:
        return self.entry.label

    @property
    def key(self) -> str:
        return self.entry.key


def _claim(entry: NavEntry, path: str) -> int:
    """The length of the longest of the entry's prefixes that starts ``path`` (0: none)."""
    return max((len(p) for p in entry.prefixes if path.startswith(p)), default=0)


class Navigation:
    """What one request shows: ``navigation.main``, ``.bar``, ``.user_menu``, ``.footer``."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self._allowed: dict[str, bool] = {}

    def allowed(self, perm: StrEnum | None) -> bool:
        """May the viewer see what ``perm`` guards (asked once per request and permission)?"""
        if perm is None:
            return True
        if perm not in self._allowed:
            user = getattr(self.request, "user", None)
            self._allowed[perm] = user is not None and access.can(user, perm)
        return self._allowed[perm]

    def links(self, place: Place) -> list[NavLink]:
        entries = nav_entries(place)
        path = self.request.path
        longest = max((_claim(e, path) for e in entries), default=0)
        return [
            NavLink(e, reverse(e.url_name), active=longest > 0 and _claim(e, path) == longest)
            for e in entries
            if self.allowed(e.permission)
        ]

    @cached_property
    def main(self) -> list[NavLink]:
        return self.links("main")

    @cached_property
    def bar(self) -> list[NavLink]:
        return self.links("bar")

    @cached_property
    def user_menu(self) -> list[NavLink]:
        return self.links("user_menu")

    @cached_property
    def footer(self) -> list[NavLink]:
        return self.links("footer")


def navigation_for(request: HttpRequest) -> Navigation:
    """The request's navigation, made once however many templates are rendered with it."""
    found = getattr(request, "_consilium_navigation", None)
    if not isinstance(found, Navigation):
        found = Navigation(request)
        request._consilium_navigation = found  # type: ignore[attr-defined]
    return found
