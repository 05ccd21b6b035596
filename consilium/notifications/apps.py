from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "consilium.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from consilium.core.access import Perm
        from consilium.core.navigation import NavEntry, register_nav_entry
        from consilium.core.shell import register_shell_value
        from consilium.notifications.selectors import notification_unread_count_for

        register_shell_value("unread_notifications", notification_unread_count_for)
        register_nav_entry(
            NavEntry(
                "notifications",
                _("Notifications"),
                "notifications:list",
                Perm.SIGNED_IN,
                place="bar",
                order=10,
                active_prefix="/notifications/",
                template="notifications/nav_bell.html",  # the bell, with the unread count
            )
        )
