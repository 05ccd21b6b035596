from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "consilium.demo"
    label = "demo"
    verbose_name = _("Demo network")

    def ready(self) -> None:
        from consilium.core.demo import DemoBuilder, register_demo_builder
        from consilium.demo import services

        # The ground every app's demo builds on: context.institutions, then context.users.
        register_demo_builder(DemoBuilder("directory", services.build_directory, order=10))
        register_demo_builder(
            DemoBuilder("people", services.build_people, order=20, needs=("directory",))
        )
