from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "consilium.actions"
    label = "actions"
    verbose_name = _("Actions")

    def ready(self) -> None:
        from consilium.actions import demo, policy, sections  # noqa: F401  (registers the section)
        from consilium.core.demo import DemoBuilder, register_demo_builder
        from consilium.core.navigation import NavEntry, register_nav_entry

        policy.register()
        from consilium.actions import tasks
        from consilium.actions.reminders import register_reminder_task

        register_reminder_task(tasks.send_action_reminders)
        register_demo_builder(DemoBuilder("actions", demo.build, order=35, needs=("people",)))
        register_nav_entry(
            NavEntry(
                "my_actions",
                _("My actions"),
                "actions:action_mine",
                policy.Perm.ACTION_MINE,
                place="user_menu",
                order=35,
                active_prefix="/actions/mine/",
            )
        )
        register_nav_entry(
            NavEntry(
                "network_actions",
                _("Actions"),
                "actions:action_network",
                policy.Perm.ACTION_NETWORK,
                order=55,
                active_prefix="/actions/",
            )
        )
