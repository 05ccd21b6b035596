from django.urls import path

from consilium.certificates import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("c/<str:code>/", views.public, name="public"),
    path("mine/", views.mine, name="mine"),
    path("<uuid:pk>/certificate.pdf", views.download_pdf, name="pdf"),
    path("<uuid:pk>/credential.json", views.download_json, name="json"),
    path("<uuid:pk>/reissue/", views.reissue, name="reissue"),
    path("<uuid:pk>/revoke/", views.revoke, name="revoke"),
    path("institutions/<int:pk>/", views.institution_list, name="institution"),
    path("institutions/<int:pk>/export.csv", views.institution_export, name="institution_export"),
    path("status/<int:pk>/", views.status_list, name="status_list"),
    path("issuers/<int:pk>/did.json", views.did_document, name="did"),
]
