"""PDF summaries (being written)."""

from django.http import Http404, HttpRequest, HttpResponse

from consilium.core.access import requires
from consilium.partnerships.views import _agreement, _programme


@requires("agreement.view", obj=_agreement)
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("programme.view", obj=_programme)
def programme_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
