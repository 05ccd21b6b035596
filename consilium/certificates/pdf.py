"""The certificate's PDF: its snapshot, a QR code of its public page, in its language."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg

from consilium.certificates.models import Certificate


def qr_data_uri(url: str) -> str:
    """An SVG QR code of ``url`` as a data: URI (WeasyPrint draws it; nothing is fetched)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def certificate_context(certificate: Certificate, *, verify_url: str) -> dict[str, Any]:
    """What the PDF template shows; ``verify_url`` is the certificate's public page
    (``services.certificate_public_url``), the address its QR code holds."""
    return {
        "certificate": certificate,
        "issuers": certificate.issuer_names,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }
