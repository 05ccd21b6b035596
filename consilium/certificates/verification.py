"""Answering "is this certificate genuine and in force?" without signing in or the network.

By code (or the public page's URL): the answer comes from the database. A credential file: its
proofs are checked with eddsa-rdfc-2022 against the keys of this installation's institutions
only (any other issuer is unknown), its status list entry against our status lists, its
validity dates against today, and a certificate we issued against what we stored (so an
altered copy is told apart from a forged signature). Every answer has an outcome and a
translated reason; nothing here raises on bad input.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from consilium.certificates import keys
from consilium.certificates.integrity import Reason, unsecured, verify
from consilium.certificates.models import Certificate, CertificateStatus, StatusList
from consilium.certificates.multikey import KeyFormatError, decode_public_key
from consilium.certificates.status_list import StatusList as Bitstring
from consilium.certificates.status_list import StatusListError

MAX_CREDENTIAL_BYTES = 256 * 1024
_CODE_CLEAN = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
_CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{10}")


class Outcome(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str
    certificate: Certificate | None = None
    #: The input was not a JSON object at all (or too large): a 400 for the API.
    malformed: bool = False

    @property
    def valid(self) -> bool:
        return self.outcome is Outcome.VALID


def _date(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _from_database(certificate: Certificate) -> Verdict:
    if certificate.status == CertificateStatus.REVOKED:
        assert certificate.revoked_at is not None
        return Verdict(
            Outcome.REVOKED,
            _("Revoked on %(date)s: %(reason)s")
            % {"date": _date(certificate.revoked_at), "reason": certificate.revocation_reason},
            certificate,
        )
    if certificate.status == CertificateStatus.SUPERSEDED:
        newer = certificate.superseded_by
        return Verdict(
            Outcome.SUPERSEDED,
            _("Superseded by a reissued certificate (code %(code)s).")
            % {"code": newer.code if newer else "—"},
            certificate,
        )
    return Verdict(
        Outcome.VALID, _("The certificate is genuine and in force."), certificate=certificate
    )


def normalise_code(value: str) -> str | None:
    """A code as typed (lower case, hyphens, O for 0) or the public page's URL, else None."""
    value = (value or "").strip()
    if "/" in value:
        try:
            match = resolve(re.sub(r"^[a-z]+://[^/]+", "", value).split("?")[0])
        except Resolver404:
            return None
        if match.view_name != "certificates:public":
            return None
        value = match.kwargs["code"]
    code = value.upper().translate(_CODE_CLEAN)
    return code if _CODE.fullmatch(code) else None


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("superseded_by", "course", "issuer")


def verify_code(value: str) -> Verdict:
    code = normalise_code(value)
    certificate = _certificates().filter(code=code).first() if code else None
    if certificate is None:
        return Verdict(Outcome.INVALID, _("No certificate has this code."))
    return _from_database(certificate)


def _issuer_id(document: dict[str, Any]) -> Any:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _proof_methods(document: dict[str, Any]) -> list[Any]:
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    return [p.get("verificationMethod") for p in proofs if isinstance(p, dict)]


def _stored(document: dict[str, Any]) -> Certificate | None:
    credential_id = document.get("id")
    if not isinstance(credential_id, str) or not credential_id.startswith("urn:uuid:"):
        return None
    try:
        return _certificates().filter(pk=uuid.UUID(credential_id[len("urn:uuid:") :])).first()
    except ValueError:  # not a UUID
        return None


def _altered_or_forged(document: dict[str, Any]) -> Verdict:
    stored = _stored(document)
    if stored is not None and unsecured(stored.credential) != unsecured(document):
        return Verdict(Outcome.INVALID, _("The content was altered after it was signed."))
    return Verdict(Outcome.INVALID, _("The signature does not match the content."))


def _status_revoked(document: dict[str, Any]) -> bool | None:
    """True/False from our status list; None when the entry is missing or not one of ours."""
    entry = document.get("credentialStatus")
    if not isinstance(entry, dict):
        return None
    url = entry.get("statusListCredential")
    if not isinstance(url, str):
        return None
    try:
        match = resolve(re.sub(r"^[a-z]+://[^/]+", "", url))
        index = int(entry.get("statusListIndex", ""))
    except (Resolver404, ValueError, TypeError):
        return None
    if match.view_name != "certificates:status_list":
        return None
    encoded = StatusList.objects.filter(pk=match.kwargs["pk"]).values_list("encoded", flat=True)
    try:
        return Bitstring.decode(encoded[0])[index] if encoded else None
    except StatusListError:
        return None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse(data: Any) -> dict[str, Any] | Verdict:
    if isinstance(data, dict):
        return data
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes):
        return Verdict(Outcome.INVALID, _("The credential is not a JSON object."), malformed=True)
    if len(data) > MAX_CREDENTIAL_BYTES:
        return Verdict(
            Outcome.INVALID,
            _("The credential is larger than %(size)d KB.")
            % {"size": MAX_CREDENTIAL_BYTES // 1024},
            malformed=True,
        )
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return Verdict(Outcome.INVALID, _("The file is not valid JSON."), malformed=True)
    if not isinstance(document, dict):
        return Verdict(Outcome.INVALID, _("The credential is not a JSON object."), malformed=True)
    return document


def verify_credential(data: Any) -> Verdict:
    """Verify a credential given as JSON text, bytes or an already parsed object."""
    document = _parse(data)
    if isinstance(document, Verdict):
        return document
    issuer_did = _issuer_id(document)
    method_dids = {keys.did_of_method(m) for m in _proof_methods(document)}
    issuers = keys.known_issuers([issuer_did, *method_dids])  # known_issuers skips non-strings
    known: dict[str, Ed25519PublicKey] = {}
    for did, (_pk, public) in issuers.items():
        try:
            known[did] = decode_public_key(public)
        except KeyFormatError:
            continue
    if not isinstance(issuer_did, str) or issuer_did not in known:
        return Verdict(Outcome.INVALID, _("The issuer is not known to this installation."))

    def resolve_key(method: str) -> Ed25519PublicKey | None:
        did = keys.did_of_method(method)
        return known.get(did) if did is not None else None

    result = verify(document, resolve_key=resolve_key)
    if not result:
        if result.reason is Reason.NO_PROOF:
            return Verdict(Outcome.INVALID, _("The credential is not signed."))
        if result.reason is Reason.UNKNOWN_VERIFICATION_METHOD:
            return Verdict(Outcome.INVALID, _("The issuer is not known to this installation."))
        if result.reason is Reason.UNSUPPORTED_CRYPTOSUITE:
            return Verdict(Outcome.INVALID, _("The credential is signed in a way we do not check."))
        return _altered_or_forged(document)
    if f"{issuer_did}#{keys.KEY_FRAGMENT}" not in result.verification_methods:
        return Verdict(Outcome.INVALID, _("The issuer did not sign this credential."))
    stored = _stored(document)
    if stored is not None and stored.status != CertificateStatus.VALID:
        return _from_database(stored)
    if _status_revoked(document):
        return Verdict(Outcome.REVOKED, _("The issuer has revoked this credential."), stored)
    now = timezone.now()
    until = _moment(document.get("validUntil"))
    if until is not None and until < now:
        return Verdict(Outcome.EXPIRED, _("Expired on %(date)s.") % {"date": _date(until)}, stored)
    since = _moment(document.get("validFrom"))
    if since is not None and since > now:
        return Verdict(Outcome.INVALID, _("The credential is not valid yet."), stored)
    return Verdict(
        Outcome.VALID, _("The signature is valid and the certificate is in force."), stored
    )
