"""Institutions' signing keys and their did:web identifiers.

Each institution signs with its own Ed25519 key, made the first time it is needed (a unique
row per institution, so two concurrent first uses end with one key). The private key is
stored encrypted with Fernet under a key derived from ``SECRET_KEY`` by HKDF: it is never
shown and never leaves the server; changing ``SECRET_KEY`` makes the stored keys unusable.

An institution's identifier is ``did:web:<host>:certificates:issuers:<id>``, whose DID
document is served at ``<SITE_URL>/certificates/issuers/<id>/did.json`` (the did:web rules:
path segments become ``/…/did.json``, a port's ``:`` is written ``%3A``). Its verification
method is ``<did>#key-1``, a Multikey with the public key.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings

from consilium.certificates.models import SigningKey
from consilium.certificates.multikey import decode_public_key, encode_public_key

KEY_FRAGMENT = "key-1"
DID_PATH = ("certificates", "issuers")


def _fernet() -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"consilium.certificates.signing-keys",
    ).derive(settings.SECRET_KEY.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _encrypt(key: Ed25519PrivateKey) -> bytes:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return _fernet().encrypt(raw)


def signing_key_for(institution_id: int) -> SigningKey:
    """The institution's key row, made (once, even under concurrency) when first needed."""
    existing = SigningKey.objects.filter(institution_id=institution_id).first()
    if existing is not None:
        return existing
    private = Ed25519PrivateKey.generate()
    key, _ = SigningKey.objects.get_or_create(
        institution_id=institution_id,
        defaults={
            "public_key": encode_public_key(private.public_key()),
            "private_key_encrypted": _encrypt(private),
        },
    )
    return key


@lru_cache(maxsize=256)
def _decrypt(public_key: str, encrypted: bytes) -> Ed25519PrivateKey:
    private = Ed25519PrivateKey.from_private_bytes(_fernet().decrypt(encrypted))
    if encode_public_key(private.public_key()) != public_key:
        raise ValueError("the stored private key does not match its public key")
    return private


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    return _decrypt(key.public_key, bytes(key.private_key_encrypted))


def public_key(key: SigningKey) -> Ed25519PublicKey:
    return decode_public_key(key.public_key)


def _host() -> str:
    return quote(urlsplit(settings.SITE_URL).netloc, safe="")


def did_for(institution_id: int) -> str:
    """``did:web:<host>:certificates:issuers:<id>`` of an institution of this installation."""
    return ":".join(("did:web", _host(), *DID_PATH, str(institution_id)))


def verification_method(institution_id: int) -> str:
    return f"{did_for(institution_id)}#{KEY_FRAGMENT}"


def institution_id_from_did(did: Any) -> int | None:
    """The institution whose did:web this is, if it is one of this installation's; else None."""
    if not isinstance(did, str):
        return None
    prefix = ":".join(("did:web", _host(), *DID_PATH)) + ":"
    if not did.startswith(prefix):
        return None
    rest = did[len(prefix) :]
    if not rest.isascii() or not rest.isdigit() or len(rest) > 12:
        return None
    return int(rest)


def institution_id_from_method(method: Any) -> int | None:
    """The institution whose ``<did>#key-1`` this verification method is, else None."""
    if not isinstance(method, str):
        return None
    did, _, fragment = method.partition("#")
    return institution_id_from_did(did) if fragment == KEY_FRAGMENT else None


def did_document_url(institution_id: int) -> str:
    host = unquote(_host())
    scheme = urlsplit(settings.SITE_URL).scheme or "https"
    return f"{scheme}://{host}/{'/'.join(DID_PATH)}/{institution_id}/did.json"


def did_document(key: SigningKey) -> dict[str, Any]:
    """The DID document publishing the institution's public key."""
    did = did_for(key.institution_id)
    method = f"{did}#{KEY_FRAGMENT}"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_key,
            }
        ],
        "assertionMethod": [method],
    }
