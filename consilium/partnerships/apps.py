from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "consilium.partnerships"
    label = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from consilium.core.demo import DemoBuilder, register_demo_builder
        from consilium.core.navigation import NavEntry, register_nav_entry
        from consilium.partnerships import demo, policy, sections  # noqa: F401  (registers the section)

        policy.register()
        from consilium.partnerships import home  # its panels on the personal home

        home.register()
        # Recommendations are actions about agreements; the actions' daily reminders run ours.
        from consilium.actions.reminders import register_reminder_task
        from consilium.partnerships import recommendations, tasks

        recommendations.register()
        register_reminder_task(tasks.send_agreement_reminders)
        register_demo_builder(DemoBuilder("partnerships", demo.build, order=30, needs=("people",)))
        perm = policy.Perm.AGREEMENT_LIST
        for entry in (
            NavEntry(
                "agreements",
                _("Agreements"),
                "partnerships:agreement_list",
                perm,
                order=40,
                active_prefix="/partnerships/agreements/",
            ),
            NavEntry(
                "programmes",
                _("Programmes"),
                "partnerships:programme_list",
                perm,
                order=50,
                active_prefix="/partnerships/programmes/",
            ),
        ):
            register_nav_entry(entry)
