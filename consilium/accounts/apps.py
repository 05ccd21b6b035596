from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "consilium.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from consilium.accounts import policy, receivers
        from consilium.accounts.forms import AdminSignInForm
        from consilium.accounts.models import SecurityEvent
        from consilium.accounts.selectors import visible_security_events
        from consilium.core import access
        from consilium.core.access import Perm
        from consilium.core.navigation import NavEntry, register_nav_entry

        policy.register()
        access.register_scope(SecurityEvent, visible_security_events)
        user_logged_in.connect(receivers.signed_in, dispatch_uid="consilium.accounts.signed_in")
        # The admin's sign-in goes through the same throttle as the sign-in page, and asks
        # for the second factor's code of those who have one.
        admin.site.login_form = AdminSignInForm
        admin.site.login_template = "accounts/admin_login.html"
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
                "security_events",
                _("Security log"),
                "accounts:security_events",
                policy.Perm.SECURITY_AUDIT,
                place="user_menu",
                order=95,
                active_prefix="/accounts/security/",
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
