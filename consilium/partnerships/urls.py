from django.urls import path

from consilium.partnerships.views import (
    agreements,
    documents,
    ewp,
    pdf,
    programmes,
    recommendations,
)

app_name = "partnerships"

urlpatterns = [
    path("agreements/", agreements.agreement_list, name="agreement_list"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/export.<str:fmt>", agreements.agreement_export, name="agreement_export"),
    path("agreements/import-iia/", ewp.iia_import, name="iia_import"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/history/", agreements.agreement_history, name="agreement_history"),
    path("agreements/<int:pk>/diff/", agreements.agreement_diff, name="agreement_diff"),
    path("agreements/<int:pk>/approve/", agreements.agreement_approve, name="agreement_approve"),
    path(
        "agreements/<int:pk>/transition/",
        agreements.agreement_transition,
        name="agreement_transition",
    ),
    path("agreements/<int:pk>/renew/", agreements.agreement_renew, name="agreement_renew"),
    path("agreements/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path(
        "agreements/<int:pk>/documents/<int:document>/",
        documents.document_download,
        name="document_download",
    ),
    path("agreements/<int:pk>/analysis/", recommendations.analysis_save, name="analysis_save"),
    path(
        "agreements/<int:pk>/recommendations/",
        recommendations.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "agreements/<int:pk>/recommendations/<int:recommendation>/",
        recommendations.recommendation_update,
        name="recommendation_update",
    ),
    path("agreements/<int:pk>/work/", recommendations.work_item_add, name="work_item_add"),
    path("agreements/<int:pk>/summary.pdf", pdf.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/iia.xml", ewp.iia_export, name="iia_export"),
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programmes.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/phases/", programmes.phase_add, name="phase_add"),
    path("programmes/<int:pk>/areas/", programmes.area_add, name="area_add"),
    path("programmes/<int:pk>/funders/", programmes.funder_add, name="funder_add"),
    path("programmes/<int:pk>/report/", programmes.programme_report, name="programme_report"),
    path(
        "programmes/<int:pk>/report.pdf",
        pdf.programme_report_pdf,
        name="programme_report_pdf",
    ),
    path("network/", agreements.network, name="network"),
]
