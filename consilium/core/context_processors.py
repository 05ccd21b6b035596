from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from consilium.core import access


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: navigation permissions, the language list, unread count."""
    user = getattr(request, "user", None)
    perms = {}
    if user is not None:
        perms = {
            "import": access.can(user, "institution.import"),
            "create": access.can(user, "institution.create"),
            "admin": access.can(user, "admin.site"),
            "agreements": access.can(user, "agreement.list"),
            "author": access.can(user, "course.create"),
            "review": access.can(user, "course.review_queue"),
            "statistics": access.can(user, "course.stats.network"),
        }

    @cache
    def unread_notifications() -> int:
        # Called by the template only where it is shown, and counted once per request.
        if user is None or not user.is_authenticated:
            return 0
        from consilium.notifications.selectors import unread_count

        return unread_count(user)

    return {
        "nav_perms": perms,
        "site_languages": settings.LANGUAGES,
        "unread_notifications": unread_notifications,
    }
