"""QR codes drawn as inline SVG, the way certificates draw theirs (``qrcode``'s SVG path
image), for the authenticator app's set-up address. Inline, not a data: image, so that no
image source needs allowing."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def svg(text: str) -> SafeString:
    """An SVG QR code of ``text`` to put into a page (it holds no text of its own)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    markup: str = image.to_string(encoding="unicode")
    start = markup.find("<svg")
    return mark_safe(markup[start:])
