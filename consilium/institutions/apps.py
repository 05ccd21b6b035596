from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "consilium.institutions"
    label = "institutions"
    verbose_name = _("Institutions")

    def ready(self) -> None:
        from consilium.institutions import signals

        signals.connect()
