from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "consilium.institutions"
    label = "institutions"
    verbose_name = _("Institutions")

    def ready(self) -> None:
        from consilium.core.jobs import register_job_runner
        from consilium.core.navigation import NavEntry, register_nav_entry
        from consilium.core.shell import register_nav_permission
        from consilium.institutions import policy, signals, spreadsheets

        signals.connect()
        register_job_runner(spreadsheets.JOB_KIND, spreadsheets.run_import_job)
        policy.register()
        register_nav_permission("import", policy.Perm.INSTITUTION_IMPORT)
        register_nav_permission("create", policy.Perm.INSTITUTION_CREATE)
        for place in ("main", "footer"):
            register_nav_entry(
                NavEntry(
                    "directory",
                    _("Directory"),
                    "institutions:list",
                    place=place,
                    order=10,
                    active_prefix="/institutions/",
                )
            )
