"""Erasmus Without Paper: an agreement as an EWP IIA (v7) file, and IIA files imported."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from consilium.accounts.http import AuthedRequest
from consilium.core.access import requires
from consilium.partnerships import ewp, policy
from consilium.partnerships.forms import IiaUploadForm
from consilium.partnerships.models import Agreement
from consilium.partnerships.policy import Perm
from consilium.partnerships.views.common import load_agreement


def _own_institutions(request: HttpRequest) -> set[int]:
    return policy.member_institution_ids(request.user)


@requires(Perm.AGREEMENT_VIEW, agreement=load_agreement)
def iia_export(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    try:
        data = ewp.export_agreement(agreement, local_institution_ids=_own_institutions(request))
    except ewp.NotAnIia as refused:
        # There is no IIA for this agreement at all: the address leads nowhere.
        for problem in refused.problems:
            messages.error(request, problem)
        return render(request, "404.html", status=404)
    except ewp.EwpError as refused:
        for problem in refused.problems:
            messages.error(request, problem)
        return redirect("partnerships:agreement_detail", pk=agreement.pk)
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iia-{agreement.pk}.xml"'
    return response


@requires(Perm.AGREEMENT_CREATE)
def iia_import(request: AuthedRequest) -> HttpResponse:
    form = IiaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = ewp.import_iias(
                form.cleaned_data["file"],
                by=request.user,
                own_institution_ids=_own_institutions(request),
            )
        except ewp.EwpError as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            count = len(result.agreements)
            messages.success(
                request,
                ngettext(
                    "Imported %(count)s draft agreement: %(titles)s.",
                    "Imported %(count)s draft agreements: %(titles)s.",
                    count,
                )
                % {"count": count, "titles": "; ".join(a.title for a in result.agreements)},
            )
            if count == 1:
                return redirect("partnerships:agreement_detail", pk=result.agreements[0].pk)
            return redirect("partnerships:agreement_list")
    context: dict[str, Any] = {"form": form, "max_mb": ewp.MAX_UPLOAD_BYTES // (1024 * 1024)}
    return render(request, "partnerships/iia_import.html", context)
