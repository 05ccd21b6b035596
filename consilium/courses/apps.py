from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "consilium.courses"
    label = "courses"
    verbose_name = _("Course bank")

    def ready(self) -> None:
        from consilium.core import access
        from consilium.core.demo import DemoBuilder, register_demo_builder
        from consilium.core.navigation import NavEntry, register_nav_entry
        from consilium.courses import demo, policy, sections  # noqa: F401  (registers the section)

        policy.register()
        from consilium.courses import home  # its panels on the personal home

        home.register()
        register_demo_builder(DemoBuilder("courses", demo.build, order=40, needs=("people",)))
        for entry in (
            # "Courses" is current anywhere under /courses/ but where "My learning" is.
            NavEntry(
                "courses", _("Courses"), "courses:catalog", order=20, active_prefix="/courses/"
            ),
            NavEntry(
                "my_learning",
                _("My learning"),
                "courses:my_learning",
                access.Perm.SIGNED_IN,
                order=30,
                active_prefix=("/courses/my/", "/courses/learn/"),
            ),
            NavEntry("courses", _("Courses"), "courses:catalog", place="footer", order=20),
            NavEntry(
                "authored",
                _("Courses I author"),
                "courses:authored",
                policy.Perm.COURSE_CREATE,
                place="user_menu",
                order=30,
            ),
            NavEntry(
                "review_queue",
                _("Courses to review"),
                "courses:review_queue",
                policy.Perm.COURSE_REVIEW_QUEUE,
                place="user_menu",
                order=40,
            ),
            NavEntry(
                "network_stats",
                _("Course bank statistics"),
                "courses:network_stats",
                policy.Perm.STATS_NETWORK,
                place="user_menu",
                order=50,
            ),
        ):
            register_nav_entry(entry)
