from django.contrib import admin
from django.urls import include, path

from consilium.api import api

handler403 = "consilium.core.views.error_403"
handler404 = "consilium.core.views.error_404"
handler500 = "consilium.core.views.error_500"

urlpatterns = [
    path("", include("consilium.core.urls")),
    path("accounts/", include("consilium.accounts.urls")),
    path("institutions/", include("consilium.institutions.urls")),
    path("partnerships/", include("consilium.partnerships.urls")),
    path("courses/", include("consilium.courses.urls")),
    path("certificates/", include("consilium.credentials.urls")),
    path("notifications/", include("consilium.notifications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
