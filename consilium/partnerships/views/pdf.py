"""PDF summaries of an agreement and of a programme report, in the reader's language."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from consilium.accounts.http import AuthedRequest
from consilium.core.access import requires
from consilium.core.pdf import pdf_response, render_pdf
from consilium.partnerships import selectors, services
from consilium.partnerships.models import Agreement, Programme
from consilium.partnerships.policy import Perm
from consilium.partnerships.recommendations import recommendations_of
from consilium.partnerships.views.common import load_agreement, load_programme


def _stamp() -> str:
    return get_language() or "en"


@requires(Perm.AGREEMENT_VIEW, agreement=load_agreement)
def agreement_pdf(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    version = services.current_version(agreement)
    approvals = (
        {a.party_id: a for a in version.approvals.select_related("approved_by")} if version else {}
    )
    parties = [
        {"party": party, "approval": approvals.get(party.pk)} for party in agreement.parties.all()
    ]
    context = {
        "agreement": agreement,
        "parties": parties,
        "version": version,
        "forms": [f.get_form_display() for f in agreement.forms.all()],
        "funding": agreement.funding_lines.all(),
        "analyses": agreement.analyses.select_related("area"),
        "recommendations": recommendations_of(agreement),
        "work_items": agreement.work_items.select_related("phase"),
        "today": timezone.localdate(),
    }
    data = render_pdf("partnerships/pdf/agreement.html", context, request)
    return pdf_response(data, f"agreement-{agreement.pk}-{_stamp()}.pdf")


@requires(Perm.PROGRAMME_VIEW, programme=load_programme)
def programme_report_pdf(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    context = {
        "programme": programme,
        "report": selectors.programme_report(request.user, programme),
        "today": timezone.localdate(),
    }
    data = render_pdf("partnerships/pdf/programme_report.html", context, request)
    return pdf_response(data, f"programme-{programme.pk}-report-{_stamp()}.pdf")
