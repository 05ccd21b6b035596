"""An agreement's documents: uploading a version, downloading one."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core.access import requires
from consilium.core.viewkit import action
from consilium.partnerships import services
from consilium.partnerships.forms import DocumentForm
from consilium.partnerships.models import Agreement, Document
from consilium.partnerships.policy import Perm
from consilium.partnerships.views.common import detail_url, load_agreement


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def document_upload(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        document = services.document_upload(
            agreement=agreement,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            by=request.user,
        )
        return _("“%(title)s” version %(version)s is uploaded.") % {
            "title": document.title,
            "version": document.version,
        }

    form = DocumentForm(request.POST, request.FILES)
    return action(request, form, act, to=detail_url(pk) + "#documents")


@requires(Perm.AGREEMENT_DOCUMENTS, agreement=load_agreement)
def document_download(
    request: AuthedRequest, pk: int, document: int, *, agreement: Agreement
) -> FileResponse:
    doc = get_object_or_404(Document, pk=document, agreement_id=pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = doc.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        content_type=doc.content_type,
        as_attachment=True,
        filename=f"{doc.title}-v{doc.version}.{extension}",
    )
