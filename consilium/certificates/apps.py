from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "consilium.certificates"
    # The package was called "credentials" when its migrations were written: the label keeps
    # that name so the tables (credentials_*) and the recorded migration history stay valid.
    label = "credentials"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from consilium.certificates import demo, keys, policy, receivers, sections  # noqa: F401  (registers the section)
        from consilium.core.access import Perm
        from consilium.core.demo import DemoBuilder, register_demo_builder
        from consilium.core.navigation import NavEntry, register_nav_entry

        policy.register()
        keys.register_backup_requirement()  # backups note which secret opens the keys
        receivers.connect()  # issue on completion, count for the course statistics
        # Certificates for the courses the course bank's demo wrote (it returns them).
        register_demo_builder(DemoBuilder("certificates", demo.build, order=50, needs=("courses",)))
        for entry in (
            NavEntry(
                "certificates",
                _("My certificates"),
                "certificates:mine",
                Perm.SIGNED_IN,
                place="user_menu",
                order=20,
            ),
            NavEntry(
                "verify", _("Verify a certificate"), "certificates:verify", place="footer", order=30
            ),
        ):
            register_nav_entry(entry)
