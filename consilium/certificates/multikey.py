"""Ed25519 keys as Multikey strings and did:key verification methods.

A public key is written ``z`` + base58btc(0xed 0x01 + 32 key bytes) (``z6Mk…``), a private
key ``z`` + base58btc(0x80 0x26 + 32 seed bytes) (``z3u2…``), as in the W3C vc-di-eddsa
test vectors. A did:key verification method is ``did:key:<public multikey>#<public multikey>``.
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
DID_KEY = "did:key:"


class KeyFormatError(ValueError):
    """The string is not an Ed25519 Multikey or did:key of the expected kind."""


def _decode(value: str, prefix: bytes) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError("a Multikey must be base58btc multibase (start with 'z')")
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError(f"not base58btc: {exc}") from exc
    if not raw.startswith(prefix) or len(raw) != len(prefix) + 32:
        raise KeyFormatError(f"not an Ed25519 key with multicodec prefix 0x{prefix.hex()}")
    return raw[len(prefix) :]


def encode_public_key(key: Ed25519PublicKey) -> str:
    """``z6Mk…`` Multikey of an Ed25519 public key."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB + raw).decode("ascii")


def decode_public_key(multikey: str) -> Ed25519PublicKey:
    """Ed25519 public key from a ``z6Mk…`` Multikey; raises ``KeyFormatError``."""
    return Ed25519PublicKey.from_public_bytes(_decode(multikey, ED25519_PUB))


def encode_private_key(key: Ed25519PrivateKey) -> str:
    """``z3u2…`` multibase of an Ed25519 private key (its 32-byte seed)."""
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return "z" + base58.b58encode(ED25519_PRIV + raw).decode("ascii")


def decode_private_key(multibase: str) -> Ed25519PrivateKey:
    """Ed25519 private key from its ``z3u2…`` multibase; raises ``KeyFormatError``."""
    return Ed25519PrivateKey.from_private_bytes(_decode(multibase, ED25519_PRIV))


def did_key(key: Ed25519PublicKey) -> str:
    """``did:key:z6Mk…`` of a public key."""
    return DID_KEY + encode_public_key(key)


def did_key_verification_method(key: Ed25519PublicKey) -> str:
    """``did:key:z6Mk…#z6Mk…``: the verification method that signs with this key."""
    return f"{did_key(key)}#{encode_public_key(key)}"


def resolve_did_key(verification_method: str) -> Ed25519PublicKey | None:
    """The key of a ``did:key:z6Mk…#z6Mk…`` verification method, or None if it is not one.

    The fragment must repeat the identifier, as the did:key method defines; nothing is fetched.
    """
    if not isinstance(verification_method, str) or not verification_method.startswith(DID_KEY):
        return None
    did, _, fragment = verification_method[len(DID_KEY) :].partition("#")
    if fragment != did:
        return None
    try:
        return decode_public_key(did)
    except KeyFormatError:
        return None
