from typing import Any

from django.conf import settings
from django.http import HttpRequest

from consilium.core import access


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: navigation permissions and the language list."""
    user = getattr(request, "user", None)
    perms = {}
    if user is not None:
        perms = {
            "import": access.can(user, "institution.import"),
            "create": access.can(user, "institution.create"),
            "admin": access.can(user, "admin.site"),
        }
    return {"nav_perms": perms, "site_languages": settings.LANGUAGES}
