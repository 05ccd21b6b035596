"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa).

A proof signs, with Ed25519, ``sha256(canonical proof config) + sha256(canonical document)``,
both canonicalized with RDFC-1.0 (``jsonld.canonicalize``, offline and strict). The proof
config is the proof without ``proofValue`` under the document's ``@context``. Several signers
(an issuer and its co-issuers) make a proof set: ``proof`` becomes a list and each proof signs
the document without any proof, so each verifies on its own; proof chains (``previousProof``)
are not supported. ``verify`` never raises: any bad input is a failed ``VerificationResult``
with a reason. The intermediate steps (``signing_input``) are public so tests can compare them
with the W3C and 1EdTech vectors byte for byte.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .jsonld import CanonicalizationError, canonicalize

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"

#: Turns a verification method URL into its public key; None (or an exception) means unknown.
KeyResolver = Callable[[str], Ed25519PublicKey | None]

# XML Schema 1.1 dateTime, as the spec requires of ``created``.
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


class Reason(StrEnum):
    """Why a credential did not verify."""

    NO_PROOF = "no_proof"
    UNSUPPORTED_CRYPTOSUITE = "unsupported_cryptosuite"
    UNKNOWN_VERIFICATION_METHOD = "unknown_verification_method"
    WRONG_PROOF_PURPOSE = "wrong_proof_purpose"
    BAD_SIGNATURE = "bad_signature"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of ``verify``; truthy when every proof verified."""

    verified: bool
    reason: Reason | None = None
    detail: str = ""
    #: The verification methods of the proofs that verified, in document order.
    verification_methods: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.verified


@dataclass(frozen=True)
class SigningInput:
    """The canonical forms a proof signs, and the bytes that go to Ed25519."""

    canonical_document: str
    canonical_proof_config: str

    @property
    def document_hash(self) -> bytes:
        return hashlib.sha256(self.canonical_document.encode("utf-8")).digest()

    @property
    def proof_config_hash(self) -> bytes:
        return hashlib.sha256(self.canonical_proof_config.encode("utf-8")).digest()

    @property
    def hash_data(self) -> bytes:
        return self.proof_config_hash + self.document_hash


def unsecured(document: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of the document without its ``proof``."""
    return {key: copy.deepcopy(value) for key, value in document.items() if key != "proof"}


def proof_config(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """The proof without ``proofValue``, under the document's ``@context``."""
    config = {key: copy.deepcopy(value) for key, value in proof.items() if key != "proofValue"}
    config["@context"] = copy.deepcopy(document["@context"])
    return config


def signing_input(document: Mapping[str, Any], proof: Mapping[str, Any]) -> SigningInput:
    """Canonical document (without proof) and canonical proof config for ``proof``."""
    return SigningInput(
        canonical_document=canonicalize(unsecured(document)),
        canonical_proof_config=canonicalize(proof_config(document, proof)),
    )


def format_datetime(moment: datetime) -> str:
    """``2023-02-24T23:36:38Z``: an XML Schema dateTime in UTC, whole seconds."""
    if moment.tzinfo is None:
        raise ValueError("a credential date must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    document: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of ``document`` with one more eddsa-rdfc-2022 proof.

    If the document already has a proof, ``proof`` becomes a list (a proof set); the new proof
    signs the document without any proof, like the others. Raises ``CanonicalizationError``
    when the document uses a term, type or context that is not defined or not shipped.
    """
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    data = signing_input(document, proof)
    proof["proofValue"] = "z" + base58.b58encode(private_key.sign(data.hash_data)).decode("ascii")
    signed = unsecured(document)
    existing = document.get("proof")
    if existing is None:
        signed["proof"] = proof
    else:
        previous = existing if isinstance(existing, list) else [existing]
        signed["proof"] = [*copy.deepcopy(previous), proof]
    return signed


def _fail(reason: Reason, detail: str) -> VerificationResult:
    return VerificationResult(verified=False, reason=reason, detail=detail)


def _is_datetime(value: Any) -> bool:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _decode_proof_value(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value.startswith("z"):
        return None
    try:
        signature = base58.b58decode(value[1:])
    except ValueError:
        return None
    return signature if len(signature) == 64 else None


def _check_proof(
    document: Mapping[str, Any],
    proof: Any,
    canonical_document: str,
    resolve_key: KeyResolver,
    proof_purpose: str,
) -> VerificationResult:
    if not isinstance(proof, Mapping):
        return _fail(Reason.MALFORMED, "a proof must be an object")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return _fail(
            Reason.UNSUPPORTED_CRYPTOSUITE,
            f"unsupported proof {proof.get('type')!r} / {proof.get('cryptosuite')!r}",
        )
    if "previousProof" in proof:
        return _fail(Reason.MALFORMED, "proof chains (previousProof) are not supported")
    if "@context" in proof and proof["@context"] != document["@context"]:
        return _fail(Reason.MALFORMED, "the proof's @context differs from the document's")
    if "created" in proof and not _is_datetime(proof["created"]):
        return _fail(Reason.MALFORMED, "created is not an XML Schema dateTime")
    if proof.get("proofPurpose") != proof_purpose:
        return _fail(
            Reason.WRONG_PROOF_PURPOSE,
            f"proof purpose {proof.get('proofPurpose')!r}, expected {proof_purpose!r}",
        )
    signature = _decode_proof_value(proof.get("proofValue"))
    if signature is None:
        return _fail(Reason.MALFORMED, "proofValue is not a base58btc Ed25519 signature")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        return _fail(Reason.MALFORMED, "verificationMethod must be a string")
    try:
        key = resolve_key(method)
    except Exception as exc:
        return _fail(Reason.UNKNOWN_VERIFICATION_METHOD, f"{method}: {exc}")
    if key is None:
        return _fail(Reason.UNKNOWN_VERIFICATION_METHOD, f"unknown verification method {method}")
    try:
        config = canonicalize(proof_config(document, proof))
    except CanonicalizationError as exc:
        return _fail(Reason.MALFORMED, f"proof: {exc}")
    data = SigningInput(canonical_document=canonical_document, canonical_proof_config=config)
    try:
        key.verify(signature, data.hash_data)
    except InvalidSignature:
        return _fail(Reason.BAD_SIGNATURE, f"the signature of {method} does not match")
    return VerificationResult(verified=True, verification_methods=(method,))


def verify(
    document: Any,
    *,
    resolve_key: KeyResolver,
    proof_purpose: str = "assertionMethod",
) -> VerificationResult:
    """Verify every eddsa-rdfc-2022 proof of ``document`` (a dict, or JSON text/bytes).

    Never raises: malformed input, a missing or unsupported proof, an unknown verification
    method, a wrong proof purpose or a bad signature give a failed result with a reason.
    Checking that the verification methods belong to whom they should (the issuer, the
    co-issuers) is ``resolve_key``'s job; the verified methods are returned for that too.
    """
    try:
        return _verify(document, resolve_key, proof_purpose)
    except Exception as exc:  # hostile input (e.g. nesting deep enough to exhaust the stack)
        return _fail(Reason.MALFORMED, f"unreadable credential: {type(exc).__name__}")


def _verify(document: Any, resolve_key: KeyResolver, proof_purpose: str) -> VerificationResult:
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except (ValueError, RecursionError) as exc:
            return _fail(Reason.MALFORMED, f"not JSON: {exc}")
    if not isinstance(document, Mapping):
        return _fail(Reason.MALFORMED, "a credential must be a JSON object")
    if "@context" not in document:
        return _fail(Reason.MALFORMED, "the document has no @context")
    proofs = document.get("proof")
    if proofs is None or proofs == []:
        return _fail(Reason.NO_PROOF, "the document has no proof")
    try:
        canonical_document = canonicalize(unsecured(document))
    except CanonicalizationError as exc:
        return _fail(Reason.MALFORMED, str(exc))
    methods: list[str] = []
    for index, proof in enumerate(proofs if isinstance(proofs, list) else [proofs]):
        result = _check_proof(document, proof, canonical_document, resolve_key, proof_purpose)
        if not result:
            detail = (
                f"proof {index}: {result.detail}" if isinstance(proofs, list) else result.detail
            )
            return _fail(result.reason or Reason.MALFORMED, detail)
        methods.extend(result.verification_methods)
    return VerificationResult(verified=True, verification_methods=tuple(methods))
