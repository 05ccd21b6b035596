from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from consilium.core import access
from consilium.core import shell as shell_registry


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: navigation permissions, the language list, and the values
    apps registered (e.g. the unread count), each computed once and only where shown."""
    user = getattr(request, "user", None)
    perms = {}
    if user is not None:
        perms = {
            key: access.can(user, perm) for key, perm in shell_registry.nav_permissions().items()
        }
    values = {
        name: cache(lambda compute=compute: compute(request))
        for name, compute in shell_registry.shell_values().items()
    }
    return {
        "nav_perms": perms,
        "site_languages": settings.LANGUAGES,
        **values,
    }
