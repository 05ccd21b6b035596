"""Institutions' signing keys and their did:web identifiers.

Each institution signs with its own Ed25519 key, made the first time it is needed (a unique
row per institution, so two concurrent first uses end with one key). The private key is never
shown and never leaves the server; it is stored encrypted with Fernet under a key derived by
HKDF from a secret that can rotate:

- ``CERTIFICATES_KEY`` when it is set (a dedicated secret, so ``SECRET_KEY`` can change
  without touching the signing keys), else ``SECRET_KEY``;
- decryption also tries ``CERTIFICATES_KEY_FALLBACKS``, ``SECRET_KEY`` and
  ``SECRET_KEY_FALLBACKS`` (Django's own list of previous secret keys), in that order, so
  rotating a secret is: put the old value in the fallbacks, set the new one, run
  ``python -m consilium rotate_keys`` (which re-encrypts every stored key with the current
  secret), then drop the old value.

A key that none of those secrets opens raises ``SigningKeyUnavailable``, a ``ValidationError``
with a message that says what to configure: pages and the API answer it, never a 500.

An institution's identifier is ``did:web:<host>:certificates:issuers:<id>``, whose DID
document is served at ``<SITE_URL>/certificates/issuers/<id>/did.json`` (the did:web rules:
path segments become ``/…/did.json``, a port's ``:`` is written ``%3A``). Its verification
method is ``<did>#key-1``, a Multikey with the public key. Every identifier a key has signed
under is recorded (``IssuerIdentifier``), so after a change of ``SITE_URL`` the credentials
issued under the old host still verify, and the old host's did.json still answers with the
identifier it was asked for.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from consilium.accounts.models import EventKind
from consilium.accounts.services import security_event_record
from consilium.certificates.models import IssuerIdentifier, SigningKey
from consilium.certificates.multikey import decode_public_key, encode_public_key

KEY_FRAGMENT = "key-1"
DID_PATH = ("certificates", "issuers")
# The HKDF label the stored keys were encrypted under (kept from when the package was called
# "credentials": changing it would lock every installation out of its keys).
_LABEL = b"consilium.credentials.signing-keys"


class SigningKeyUnavailable(ValidationError):
    """No configured secret decrypts an institution's signing key (a rotation went wrong)."""


def _setting(name: str, *, many: bool = True) -> list[str]:
    """A secret or list of secrets from the settings or, when they leave it empty, from the
    environment (lists comma-separated), so these work without a line in settings.py."""
    value = getattr(settings, name, None) or os.environ.get(name, "")
    if isinstance(value, str):
        items = value.split(",") if many else [value]
        return [item.strip() for item in items if item.strip()]
    return [str(item) for item in value if item]


def _secrets() -> tuple[str, ...]:
    """The secrets, current first: the dedicated key and its fallbacks, then SECRET_KEY's."""
    found = [
        *_setting("CERTIFICATES_KEY", many=False),
        *_setting("CERTIFICATES_KEY_FALLBACKS"),
        settings.SECRET_KEY,
        *_setting("SECRET_KEY_FALLBACKS"),
    ]
    ordered: list[str] = []
    for secret in found:
        if secret and secret not in ordered:
            ordered.append(secret)
    return tuple(ordered)


@lru_cache(maxsize=32)
def _derive(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LABEL).derive(
        secret.encode("utf-8")
    )


def _fernet_of(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret)))


def fingerprint(secret: str) -> str:
    """A public name of a secret (16 hex digits of a hash of the derived key): it tells which
    secret encrypts the keys, in a backup's manifest or a log, and reveals nothing of it."""
    return hashlib.sha256(b"consilium.fingerprint:" + _derive(secret)).hexdigest()[:16]


def current_fingerprint() -> str:
    """The fingerprint of the secret new keys are encrypted with."""
    return fingerprint(_secrets()[0])


def configured_fingerprints() -> list[str]:
    """The fingerprints of every secret this server can decrypt with, current first."""
    return [fingerprint(secret) for secret in _secrets()]


def _multifernet(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet_of(secret) for secret in secrets])


def _unavailable() -> SigningKeyUnavailable:
    return SigningKeyUnavailable(
        _(
            "The institution's signing key cannot be decrypted with this server's keys: "
            "SECRET_KEY or CERTIFICATES_KEY was changed without keeping the previous value in "
            "SECRET_KEY_FALLBACKS or CERTIFICATES_KEY_FALLBACKS. Nothing can be signed for "
            "this institution until an administrator restores it (see docs/deploy.md, Key "
            "rotation)."
        ),
        code="signing_key_unavailable",
    )


def _encrypt(key: Ed25519PrivateKey) -> bytes:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return _fernet_of(_secrets()[0]).encrypt(raw)


def encrypted_with(key: SigningKey) -> str | None:
    """The fingerprint of the configured secret that opens this key, or None if none does."""
    for secret in _secrets():
        try:
            _fernet_of(secret).decrypt(bytes(key.private_key_encrypted))
        except InvalidToken:
            continue
        return fingerprint(secret)
    return None


def signing_key_for(institution_id: int) -> SigningKey:
    """The institution's key row, made (once, even under concurrency) when first needed.

    Whoever asks for a key is about to sign with it under the current identifier, so that
    identifier is recorded as one of the key's (once per host).
    """
    key = SigningKey.objects.filter(institution_id=institution_id).first()
    if key is None:
        private = Ed25519PrivateKey.generate()
        key, _created = SigningKey.objects.get_or_create(
            institution_id=institution_id,
            defaults={
                "public_key": encode_public_key(private.public_key()),
                "private_key_encrypted": _encrypt(private),
            },
        )
    _record(key, did_for(institution_id))
    return key


def _record(key: SigningKey, did: str) -> None:
    if IssuerIdentifier.objects.filter(did=did).exists():
        return
    try:
        with transaction.atomic():
            IssuerIdentifier.objects.create(key=key, did=did)
    except IntegrityError:  # recorded meanwhile by a concurrent signer
        pass


@lru_cache(maxsize=256)
def _decrypt(public_key: str, encrypted: bytes, secrets: tuple[str, ...]) -> Ed25519PrivateKey:
    private = Ed25519PrivateKey.from_private_bytes(_multifernet(secrets).decrypt(encrypted))
    if encode_public_key(private.public_key()) != public_key:
        raise ValueError("the stored private key does not match its public key")
    return private


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    """The decrypted private key; ``SigningKeyUnavailable`` when no configured secret opens it."""
    security_event_record(kind=EventKind.SIGNING_KEY_USED, institution_id=key.institution_id, subject=key.public_key[:40])  # fmt: skip
    try:
        return _decrypt(key.public_key, bytes(key.private_key_encrypted), _secrets())
    except (InvalidToken, ValueError) as exc:
        raise _unavailable() from exc


def public_key(key: SigningKey) -> Ed25519PublicKey:
    return decode_public_key(key.public_key)


def rotate_all() -> tuple[int, int, list[int]]:
    """Re-encrypt every stored key with the current secret.

    Returns (re-encrypted, already current, institution ids of keys no configured secret
    opens); those are left as they are.
    """
    secrets = _secrets()
    current = _fernet_of(secrets[0])
    everything = _multifernet(secrets)
    rotated, unchanged, failed = 0, 0, []
    with transaction.atomic():
        for key in SigningKey.objects.select_for_update().order_by("pk"):
            token = bytes(key.private_key_encrypted)
            try:
                current.decrypt(token)
            except InvalidToken:
                pass
            else:
                unchanged += 1
                continue
            try:
                raw = everything.decrypt(token)
            except InvalidToken:
                failed.append(key.institution_id)
                continue
            private = Ed25519PrivateKey.from_private_bytes(raw)
            if encode_public_key(private.public_key()) != key.public_key:
                failed.append(key.institution_id)
                continue
            SigningKey.objects.filter(pk=key.pk).update(private_key_encrypted=current.encrypt(raw))
            rotated += 1
    return rotated, unchanged, failed


def undecryptable() -> list[int]:
    """The institutions whose key no configured secret opens (empty when all is well)."""
    return [
        key.institution_id
        for key in SigningKey.objects.order_by("pk").only(
            "pk", "institution_id", "private_key_encrypted"
        )
        if encrypted_with(key) is None
    ]


# --- identifiers -----------------------------------------------------------------------------


def _host_of(netloc: str) -> str:
    return quote(netloc, safe="")


def _host() -> str:
    return _host_of(urlsplit(settings.SITE_URL).netloc)


def did_for(institution_id: int) -> str:
    """``did:web:<host>:certificates:issuers:<id>`` of an institution of this installation."""
    return did_on(urlsplit(settings.SITE_URL).netloc, institution_id)


def did_on(netloc: str, institution_id: int) -> str:
    """The identifier the institution has (or had) under the host ``netloc`` (``host[:port]``)."""
    return ":".join(("did:web", _host_of(netloc), *DID_PATH, str(institution_id)))


def verification_method(institution_id: int) -> str:
    return f"{did_for(institution_id)}#{KEY_FRAGMENT}"


def institution_id_from_did(did: Any) -> int | None:
    """The institution whose did:web under the current SITE_URL this is; else None."""
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
    """The institution whose ``<did>#key-1`` (current SITE_URL) this method is, else None."""
    if not isinstance(method, str):
        return None
    did, _, fragment = method.partition("#")
    return institution_id_from_did(did) if fragment == KEY_FRAGMENT else None


def did_of_method(method: Any) -> str | None:
    """The DID of a ``<did>#key-1`` verification method, else None."""
    if not isinstance(method, str):
        return None
    did, _, fragment = method.partition("#")
    return did if fragment == KEY_FRAGMENT and did else None


def known_issuers(dids: Any) -> dict[str, tuple[int, str]]:
    """Which of ``dids`` are identifiers of this installation's keys, under the current
    SITE_URL or one it had when it signed: {did: (institution id, public key Multikey)}."""
    wanted = {d for d in dids if isinstance(d, str) and 0 < len(d) <= 255}
    if not wanted:
        return {}
    found: dict[str, tuple[int, str]] = {
        did: (institution_id, public)
        for did, institution_id, public in IssuerIdentifier.objects.filter(
            did__in=wanted
        ).values_list("did", "key__institution_id", "key__public_key")
    }
    current = {
        did: pk for did in wanted - found.keys() if (pk := institution_id_from_did(did)) is not None
    }
    if current:
        publics = dict(
            SigningKey.objects.filter(institution_id__in=set(current.values())).values_list(
                "institution_id", "public_key"
            )
        )
        for did, pk in current.items():
            if pk in publics:
                found[did] = (pk, publics[pk])
    return found


def identifiers(key: SigningKey) -> list[str]:
    """Every identifier the key is known under: the current one first, then older ones."""
    now = did_for(key.institution_id)
    older = key.identifiers.exclude(did=now).order_by("first_used_at", "pk")
    return [now, *older.values_list("did", flat=True)]


def did_document_url(institution_id: int) -> str:
    host = unquote(_host())
    scheme = urlsplit(settings.SITE_URL).scheme or "https"
    return f"{scheme}://{host}/{'/'.join(DID_PATH)}/{institution_id}/did.json"


def did_document(key: SigningKey, netloc: str | None = None) -> dict[str, Any]:
    """The DID document publishing the institution's public key.

    Asked for under a host the key has signed under (``netloc``, from the request), it
    answers with that host's identifier, as did:web resolution requires (a resolver checks
    the document's ``id``); otherwise with the current one. ``alsoKnownAs`` lists the others.
    """
    names = identifiers(key)
    did = names[0]
    if netloc is not None:
        asked = did_on(netloc, key.institution_id)
        if asked in names:
            did = asked
    method = f"{did}#{KEY_FRAGMENT}"
    document: dict[str, Any] = {
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
    others = [name for name in names if name != did]
    if others:
        document["alsoKnownAs"] = others
    return document


# --- backups -------------------------------------------------------------------------------


def needed_fingerprints() -> list[str]:
    """The fingerprints of the secrets the stored keys are encrypted with ("?" for a key no
    configured secret opens): what a backup's manifest says a restore needs."""
    found = {
        encrypted_with(key) or "?"
        for key in SigningKey.objects.only("pk", "institution_id", "private_key_encrypted")
    }
    return sorted(found)


def register_backup_requirement() -> None:
    """Tell backups what the signing keys need (fingerprints only, never a secret)."""
    from consilium.core.backup import KeyRequirement, register_key_requirement

    register_key_requirement(
        KeyRequirement(
            name="certificates' signing keys",
            needed=needed_fingerprints,
            available=configured_fingerprints,
            unreadable=lambda: [f"the key of institution {pk}" for pk in undecryptable()],
            hint=(
                "Set CERTIFICATES_KEY (or SECRET_KEY) to the value in use when the backup was "
                "made, or add it to CERTIFICATES_KEY_FALLBACKS (or SECRET_KEY_FALLBACKS); "
                "`python -m consilium rotate_keys --check` prints the current fingerprint."
            ),
        )
    )
