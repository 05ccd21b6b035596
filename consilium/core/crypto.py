"""Small secrets kept at rest, encrypted with a key derived from SECRET_KEY.

``seal(purpose, text)`` encrypts (Fernet: AES-128-CBC with an HMAC) under a key derived from
``SECRET_KEY`` and the purpose, so that one purpose's sealed values are no use for another.
``unseal`` also tries the keys of ``SECRET_KEY_FALLBACKS``, so a rotation keeps what was sealed
before readable; it answers None for what no key opens. For a value that only has to be
checked, not read back, keep a hash instead (as invitations keep their token's).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys = [
        hashlib.sha256(f"consilium.sealed:{purpose}\x1f{secret}".encode()).digest()
        for secret in secrets
    ]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(key)) for key in keys])


def seal(purpose: str, text: str) -> bytes:
    return _fernet(purpose).encrypt(text.encode("utf-8"))


def unseal(purpose: str, sealed: bytes) -> str | None:
    if not sealed:
        return None
    try:
        return _fernet(purpose).decrypt(bytes(sealed)).decode("utf-8")
    except InvalidToken:
        return None
