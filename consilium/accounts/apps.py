from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "consilium.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from consilium.accounts import policy
        from consilium.accounts.forms import AdminSignInForm
        from consilium.core.access import Perm
        from consilium.core.navigation import NavEntry, register_nav_entry

        policy.register()
        # The admin's sign-in goes through the same throttle as the sign-in page.
        admin.site.login_form = AdminSignInForm
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
