from collections.abc import Iterator, Mapping
from enum import StrEnum
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from consilium.core import shell as shell_registry
from consilium.core.navigation import Navigation, navigation_for


class NavPermissions(Mapping[str, bool]):
    """``nav_perms.<key>``: whether the viewer has the permission registered under ``key``
    (``core/shell.py``), asked on first use, once per request, through its ``Navigation``."""

    def __init__(self, navigation: Navigation, perms: Mapping[str, StrEnum]) -> None:
        self._navigation = navigation
        self._perms = perms

    def __getitem__(self, key: str) -> bool:
        return self._navigation.allowed(self._perms[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._perms)

    def __len__(self) -> int:
        return len(self._perms)


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the navigation apps registered (``core/navigation.py``),
    the permission flags apps registered for their pages, the language list, and the values
    apps registered (e.g. the unread count); each worked out once per request and only where
    a template shows it."""
    navigation = navigation_for(request)
    values = {
        name: cache(lambda compute=compute: compute(request))
        for name, compute in shell_registry.shell_values().items()
    }
    return {
        "navigation": navigation,
        "nav_perms": NavPermissions(navigation, shell_registry.nav_permissions()),
        "site_languages": settings.LANGUAGES,
        **values,
    }
