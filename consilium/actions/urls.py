from django.urls import path

from consilium.actions.views import action, lists

app_name = "actions"

urlpatterns = [
    path("", lists.action_network, name="action_network"),
    path("mine/", lists.action_mine, name="action_mine"),
    path("new/", action.action_create, name="action_create"),
    path("export/<str:fmt>/", lists.action_export, name="action_export"),
    path("institution/<int:pk>/", lists.action_institution, name="action_institution"),
    path("<int:pk>/", action.action_detail, name="action_detail"),
    path("<int:pk>/edit/", action.action_edit, name="action_edit"),
    path("<int:pk>/status/", action.action_transition, name="action_transition"),
    path("<int:pk>/judge/", action.action_judge, name="action_judge"),
    path("<int:pk>/evidence/", action.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:file>/", action.evidence_download, name="evidence_download"),
]
