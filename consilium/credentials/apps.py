from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "consilium.credentials"
    label = "credentials"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from consilium.credentials import policy, receivers, sections  # noqa: F401  (registers the section)

        policy.register()
        receivers.connect()  # issue on completion, count for the course statistics
