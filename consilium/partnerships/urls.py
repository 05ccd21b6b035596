from django.urls import path

from consilium.partnerships import ewp_views, pdf_views, views

app_name = "partnerships"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/export.<str:fmt>", views.agreement_export, name="agreement_export"),
    path("agreements/import-iia/", ewp_views.iia_import, name="iia_import"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/history/", views.agreement_history, name="agreement_history"),
    path("agreements/<int:pk>/diff/", views.agreement_diff, name="agreement_diff"),
    path("agreements/<int:pk>/approve/", views.agreement_approve, name="agreement_approve"),
    path(
        "agreements/<int:pk>/transition/", views.agreement_transition, name="agreement_transition"
    ),
    path("agreements/<int:pk>/renew/", views.agreement_renew, name="agreement_renew"),
    path("agreements/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path(
        "agreements/<int:pk>/documents/<int:document>/",
        views.document_download,
        name="document_download",
    ),
    path("agreements/<int:pk>/analysis/", views.analysis_save, name="analysis_save"),
    path(
        "agreements/<int:pk>/recommendations/", views.recommendation_add, name="recommendation_add"
    ),
    path(
        "agreements/<int:pk>/recommendations/<int:recommendation>/",
        views.recommendation_update,
        name="recommendation_update",
    ),
    path("agreements/<int:pk>/work/", views.work_item_add, name="work_item_add"),
    path("agreements/<int:pk>/summary.pdf", pdf_views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/iia.xml", ewp_views.iia_export, name="iia_export"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/phases/", views.phase_add, name="phase_add"),
    path("programmes/<int:pk>/areas/", views.area_add, name="area_add"),
    path("programmes/<int:pk>/funders/", views.funder_add, name="funder_add"),
    path("programmes/<int:pk>/report/", views.programme_report, name="programme_report"),
    path(
        "programmes/<int:pk>/report.pdf",
        pdf_views.programme_report_pdf,
        name="programme_report_pdf",
    ),
    path("network/", views.network, name="network"),
]
