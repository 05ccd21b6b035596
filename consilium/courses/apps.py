from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "consilium.courses"
    label = "courses"
    verbose_name = _("Course bank")

    def ready(self) -> None:
        from consilium.courses import sections  # noqa: F401  (registers the section)
