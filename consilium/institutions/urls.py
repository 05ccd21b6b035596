from django.urls import path

from consilium.institutions import views

app_name = "institutions"

urlpatterns = [
    path("", views.institution_list, name="list"),
    path("new/", views.institution_create, name="create"),
    path("import/", views.institution_import, name="import"),
    path("import/<int:job>/", views.institution_import_job, name="import_job"),
    path("export.<str:fmt>", views.institution_export, name="export"),
    path("<int:pk>/", views.institution_detail, name="detail"),
    path("<int:pk>/edit/", views.institution_edit, name="edit"),
    path("<int:pk>/history/", views.institution_history, name="history"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/people/<int:membership>/role/", views.membership_role, name="membership_role"),
    path(
        "<int:pk>/people/<int:membership>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "<int:pk>/invitations/<int:invitation>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
