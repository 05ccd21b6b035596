"""Checking uploaded files: their size and their real type, read from their first bytes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """The real type of a file from its first bytes: (content type, extension) or None."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        {"file": [_("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}]}
    )


def read_checked(upload: Any, *, limit: int = MAX_UPLOAD_BYTES) -> tuple[bytes, str, str]:
    """The bytes, content type and extension of a PDF, PNG or JPEG upload of at most ``limit``
    bytes; a ValidationError on ``file`` otherwise (whatever the file's name says)."""
    if upload.size > limit:
        raise _too_large(limit)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    sniffed = sniff(data[:16])
    if sniffed is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Only PDF, PNG and JPEG files are accepted; this file "
                        "is something else, whatever its name says."
                    )
                ]
            }
        )
    return data, *sniffed
