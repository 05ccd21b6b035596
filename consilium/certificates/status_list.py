"""W3C Bitstring Status List v1.0: revocation (or suspension) of issued credentials.

Each credential gets an index into a published list of bits; setting its bit revokes it. The
list travels as ``encodedList``: ``u`` (multibase base64url) + base64url without padding of
the GZIP-compressed bitstring, at least 16 KB (131,072 entries) so that one credential cannot
be told from the others. Index 0 is the left-most bit: the most significant bit of the first
byte. Status entries here are one bit wide (``statusSize`` 1).
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .integrity import format_datetime
from .jsonld import VC_V2

MIN_BITS = 131_072
#: Largest decompressed list accepted from outside (128 Mi entries), against zip bombs.
MAX_BYTES = 16 * 1024 * 1024
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class StatusListError(ValueError):
    """A malformed encoded list, a list too short, or an index out of range."""


class StatusList:
    """A mutable bitstring of credential statuses (True = revoked / suspended)."""

    def __init__(self, length: int = MIN_BITS) -> None:
        if length < MIN_BITS or length % 8:
            raise StatusListError(f"a status list holds a multiple of 8 and ≥ {MIN_BITS} bits")
        self._bytes = bytearray(length // 8)

    def __len__(self) -> int:
        return len(self._bytes) * 8

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < len(self):
            raise StatusListError(f"index {index} is outside the list (0..{len(self) - 1})")
        return index // 8, 0x80 >> (index % 8)

    def __getitem__(self, index: int) -> bool:
        byte, mask = self._locate(index)
        return bool(self._bytes[byte] & mask)

    def __setitem__(self, index: int, value: bool) -> None:
        byte, mask = self._locate(index)
        if value:
            self._bytes[byte] |= mask
        else:
            self._bytes[byte] &= ~mask & 0xFF

    def to_bytes(self) -> bytes:
        """The raw bitstring."""
        return bytes(self._bytes)

    def encode(self) -> str:
        """``encodedList``: ``u`` + base64url(GZIP(bitstring)).

        zlib's own GZIP framing (mtime 0, default level) makes the output reproducible and, for
        an empty list, identical to the specification's example.
        """
        deflater = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
        compressed = deflater.compress(bytes(self._bytes)) + deflater.flush()
        return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, encoded: str) -> StatusList:
        """Parse an ``encodedList``; raises ``StatusListError`` if malformed or under 16 KB."""
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise StatusListError("encodedList must be multibase base64url (start with 'u')")
        body = encoded[1:]
        if not _BASE64URL.fullmatch(body) or len(body) % 4 == 1:
            raise StatusListError("encodedList is not unpadded base64url")
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing only
        try:
            raw = inflater.decompress(compressed, MAX_BYTES)
        except zlib.error as exc:
            raise StatusListError(f"encodedList is not GZIP: {exc}") from exc
        if inflater.unconsumed_tail:
            raise StatusListError(f"the status list is larger than {MAX_BYTES} bytes")
        if not inflater.eof or inflater.unused_data:
            raise StatusListError("encodedList is not exactly one complete GZIP member")
        if len(raw) * 8 < MIN_BITS:
            raise StatusListError(f"the status list has {len(raw) * 8} bits, fewer than {MIN_BITS}")
        status_list = cls(len(raw) * 8)
        status_list._bytes[:] = raw
        return status_list


def status_list_entry(*, list_url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    """The ``credentialStatus`` of a credential whose status is bit ``index`` of the list."""
    if index < 0:
        raise StatusListError("a status list index is not negative")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    *,
    list_url: str,
    issuer: str | Mapping[str, Any],
    status_list: StatusList,
    valid_from: datetime,
    purpose: str = "revocation",
    valid_until: datetime | None = None,
    ttl_ms: int | None = None,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` published at ``list_url``."""
    subject: dict[str, Any] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": status_list.encode(),
    }
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    credential: dict[str, Any] = {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer if isinstance(issuer, str) else dict(issuer),
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = subject
    return credential
