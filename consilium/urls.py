from django.contrib import admin
from django.urls import include, path

from consilium.accounts.views import set_language
from consilium.api import api
from consilium.core import urls as core_urls
from consilium.institutions.views import home

handler403 = "consilium.core.views.error_403"
handler404 = "consilium.core.views.error_404"
handler500 = "consilium.core.views.error_500"

urlpatterns = [
    # The site's root pages keep their ``core:`` names; their views live with their owners.
    path(
        "",
        include(
            (
                [
                    path("", home, name="home"),
                    path("language/", set_language, name="set_language"),
                    *core_urls.urlpatterns,
                ],
                "core",
            )
        ),
    ),
    path("accounts/", include("consilium.accounts.urls")),
    path("institutions/", include("consilium.institutions.urls")),
    path("actions/", include("consilium.actions.urls")),
    path("partnerships/", include("consilium.partnerships.urls")),
    path("courses/", include("consilium.courses.urls")),
    path("certificates/", include("consilium.certificates.urls")),
    path("notifications/", include("consilium.notifications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
