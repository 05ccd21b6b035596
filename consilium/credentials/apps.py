from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "consilium.credentials"
    label = "credentials"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from consilium.credentials import receivers, sections  # noqa: F401  (registers the section)

        receivers.connect()  # issue on completion, count for the course statistics
