from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "consilium.partnerships"
    label = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from consilium.core.shell import register_nav_permission
        from consilium.partnerships import policy, sections  # noqa: F401  (registers the section)

        policy.register()
        register_nav_permission("agreements", policy.Perm.AGREEMENT_LIST)
