"""Time-based one-time passwords (RFC 6238, HOTP of RFC 4226 underneath), as authenticator
apps compute them: HMAC-SHA1 of the 30-second step, six digits."""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from urllib.parse import quote, urlencode

STEP = 30  # seconds
DIGITS = 6
DRIFT = 1  # steps accepted either side of now (a clock a little off, a code typed slowly)


def secret_new() -> str:
    """A new shared secret: 160 random bits in base32, as authenticator apps take them."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    text = secret.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226: the dynamically truncated HMAC of the counter, ``digits`` long."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), digest).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(moment: float) -> int:
    return int(moment // STEP)


def code_at(secret: str, moment: float) -> str:
    """The code an authenticator app shows at ``moment`` (seconds since the epoch)."""
    return hotp(_key(secret), step_at(moment))


def matching_step(secret: str, code: str, *, moment: float | None = None) -> int | None:
    """The step within ``DRIFT`` of ``moment`` whose code is ``code``, or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(time.time() if moment is None else moment)
    key = _key(secret)
    for step in range(now - DRIFT, now + DRIFT + 1):
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://`` address a QR code carries to the authenticator app."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP})
    return f"otpauth://totp/{label}?{query}"
