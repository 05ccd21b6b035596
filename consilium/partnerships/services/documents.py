"""An agreement's documents: checked by their first bytes, size-limited, versioned per title."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.core import uploads
from consilium.core.services import service
from consilium.partnerships.choices import DocumentKind
from consilium.partnerships.models import Agreement, Document
from consilium.partnerships.services.common import CONTENT

MAX_DOCUMENT_BYTES = uploads.MAX_UPLOAD_BYTES


@service(bumps=[CONTENT])
def document_upload(
    *, agreement: Agreement, kind: str, title: str, upload: Any, by: User
) -> Document:
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    data, content_type, extension = uploads.read_checked(upload, limit=MAX_DOCUMENT_BYTES)
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Give the document a title.")]})
    # The agreement's row lock serialises uploads to it: locking the latest version alone let
    # two first versions (nothing to lock yet) or two next versions (both read the same
    # latest) race, and the loser answered 500 on the unique version number.
    Agreement.objects.select_for_update().only("pk").get(pk=agreement.pk)
    latest = (
        Document.objects.filter(agreement=agreement, kind=kind, title=title)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    document = Document(
        agreement=agreement,
        kind=kind,
        title=title,
        version=(latest or 0) + 1,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    document.file.save(
        f"agreement-{agreement.pk}-{document.sha256[:16]}{extension}", ContentFile(data), save=False
    )
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document
