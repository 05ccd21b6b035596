from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "consilium.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from consilium.core.access import Perm
        from consilium.core.navigation import NavEntry, register_nav_entry

        # The API's docs (consilium/api.py) and Django's admin: the shell's own entries.
        register_nav_entry(NavEntry("api", _("API"), "api:openapi-view", order=90))
        register_nav_entry(
            NavEntry("admin", _("Administration"), "admin:index", Perm.ADMIN_SITE, order=100)
        )
        register_nav_entry(NavEntry("api", _("API"), "api:openapi-view", place="footer", order=90))
