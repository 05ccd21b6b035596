"""Erasmus Without Paper IIA export and import (being written)."""

from django.http import Http404, HttpRequest, HttpResponse

from consilium.core.access import requires
from consilium.partnerships.views import _agreement


@requires("agreement.view", obj=_agreement)
def iia_export(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("agreement.create")
def iia_import(request: HttpRequest) -> HttpResponse:
    raise Http404
