"""An agreement's documents over the API: list, upload (multipart), download."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from consilium.accounts.http import signed_in_user
from consilium.partnerships import services
from consilium.partnerships.api.common import require_agreement
from consilium.partnerships.api.schemas import DocumentOut
from consilium.partnerships.models import Document
from consilium.partnerships.policy import Perm

router = Router()


def _document(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "kind": doc.kind,
        "title": doc.title,
        "version": doc.version,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "uploaded_at": doc.uploaded_at,
    }


@router.get(
    "/agreements/{int:pk}/documents",
    response=list[DocumentOut],
    summary="Documents (for the parties and the network roles)",
)
def list_documents(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_DOCUMENTS)
    return [_document(d) for d in agreement.documents.all()]


@router.post(
    "/agreements/{int:pk}/documents",
    response={201: DocumentOut},
    summary="Upload a document (multipart form)",
    description="PDF, PNG or JPEG up to 20 MB; the same kind and title makes a new version.",
)
def upload_document(
    request: HttpRequest,
    pk: int,
    kind: Form[str],
    title: Form[str],
    file: File[UploadedFile],
) -> Status[dict[str, Any]]:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    document = services.document_upload(
        agreement=agreement, kind=kind, title=title, upload=file, by=signed_in_user(request)
    )
    return Status(201, _document(document))


@router.get(
    "/agreements/{int:pk}/documents/{int:document_id}/file",
    summary="Download a document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
            }
        }
    },
)
def download_document(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_DOCUMENTS)
    doc = agreement.documents.filter(pk=document_id).first()
    if doc is None:
        raise Http404
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
