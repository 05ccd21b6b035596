from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "consilium.courses"
    label = "courses"
    verbose_name = _("Course bank")

    def ready(self) -> None:
        from consilium.core.shell import register_nav_permission
        from consilium.courses import policy, sections  # noqa: F401  (registers the section)

        policy.register()
        register_nav_permission("author", policy.Perm.COURSE_CREATE)
        register_nav_permission("review", policy.Perm.COURSE_REVIEW_QUEUE)
        register_nav_permission("statistics", policy.Perm.STATS_NETWORK)
