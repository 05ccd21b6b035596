from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "consilium.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from consilium.accounts import policy
        from consilium.core.access import Perm
        from consilium.core.navigation import NavEntry, register_nav_entry

        policy.register()
        for entry in (
            NavEntry(
                "profile",
                _("Profile"),
                "accounts:profile",
                Perm.SIGNED_IN,
                place="user_menu",
                order=10,
            ),
            NavEntry(
                "tokens",
                _("API tokens"),
                "accounts:tokens",
                Perm.SIGNED_IN,
                place="user_menu",
                order=90,
            ),
        ):
            register_nav_entry(entry)
