"""eddsa-rdfc-2022: the official vectors, an independent verifier, tampering and bad input."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import base58
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld as pyld_jsonld

from consilium.certificates.integrity import (
    Reason,
    proof_config,
    sign,
    signing_input,
    unsecured,
    verify,
)
from consilium.certificates.multikey import (
    decode_private_key,
    decode_public_key,
    did_key_verification_method,
    resolve_did_key,
)

from .conftest import OB_KEY, VECTORS, vector, vector_json

CREATED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def ob_resolver(method: str) -> Ed25519PublicKey | None:
    if method == f"https://example.edu/issuers/565049#{OB_KEY}":
        return decode_public_key(OB_KEY)
    return None


# --- the W3C vector ---------------------------------------------------------------------------


def test_w3c_vector_intermediate_steps_match_byte_for_byte() -> None:
    signed = vector_json("signedDataInt.json")
    data = signing_input(signed, signed["proof"])
    assert data.canonical_document == vector("canonDocDataInt.txt")
    assert proof_config(signed, signed["proof"]) == vector_json("proofConfigDataInt.json")
    assert data.document_hash.hex() == vector("docHashDataInt.txt").strip()
    assert data.proof_config_hash.hex() == vector("proofHashDataInt.txt").strip()
    assert data.hash_data == data.proof_config_hash + data.document_hash


def test_signing_with_the_w3c_key_reproduces_the_signed_vector() -> None:
    signed = vector_json("signedDataInt.json")
    proof = signed["proof"]
    resigned = sign(
        unsecured(signed),
        private_key=decode_private_key(vector_json("keyPair.json")["privateKeyMultibase"]),
        verification_method=proof["verificationMethod"],
        created=datetime.fromisoformat(proof["created"]),
    )
    assert resigned == signed
    assert json.dumps(resigned["proof"]) == json.dumps(proof)  # same keys, same order


def test_the_w3c_vector_verifies() -> None:
    result = verify(vector_json("signedDataInt.json"), resolve_key=resolve_did_key)
    assert result and result.reason is None
    assert result.verification_methods == (
        vector_json("signedDataInt.json")["proof"]["verificationMethod"],
    )


# --- the Open Badges vector -------------------------------------------------------------------


def test_ob_vector_canonical_forms_match_byte_for_byte() -> None:
    signed = vector_json("ob_signed.json")
    data = signing_input(signed, signed["proof"])
    assert data.canonical_document == vector("ob_doc_canon.txt")
    assert data.canonical_proof_config == vector("ob_proof_canon.txt")


def test_the_ob_vector_verifies_with_its_published_key() -> None:
    assert verify(vector_json("ob_signed.json"), resolve_key=ob_resolver)


def test_the_ob_vector_given_as_json_text_verifies() -> None:
    assert verify(vector("ob_signed.json"), resolve_key=ob_resolver)
    assert verify(vector("ob_signed.json").encode(), resolve_key=ob_resolver)


# --- an independent verifier: pyld + cryptography + base58 only -------------------------------


def independent_verify(document: dict[str, Any]) -> bool:
    """eddsa-rdfc-2022 written from the spec without consilium.certificates, did:key keys only."""
    files = {
        "https://www.w3.org/ns/credentials/v2": "cred-v2.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-3.0.3.jsonld",
    }

    def loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads((VECTORS / files[url]).read_text()),
        }

    def nquads(value: dict[str, Any]) -> bytes:
        options = {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": loader,
        }
        return str(pyld_jsonld.normalize(value, options)).encode()

    body = {k: v for k, v in document.items() if k != "proof"}
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    for proof in proofs:
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        config["@context"] = document["@context"]
        data = hashlib.sha256(nquads(config)).digest() + hashlib.sha256(nquads(body)).digest()
        multikey = proof["verificationMethod"].split("#")[1]
        raw = base58.b58decode(multikey[1:])
        assert raw[:2] == b"\xed\x01"
        try:
            Ed25519PublicKey.from_public_bytes(raw[2:]).verify(
                base58.b58decode(proof["proofValue"][1:]), data
            )
        except InvalidSignature:
            return False
    return True


def unsigned_ob() -> dict[str, Any]:
    return unsecured(vector_json("ob_signed.json"))


def test_independent_verifier_accepts_what_we_sign(key: Ed25519PrivateKey) -> None:
    signed = sign(
        unsigned_ob(),
        private_key=key,
        verification_method=did_key_verification_method(key.public_key()),
        created=CREATED,
    )
    assert independent_verify(signed)
    assert verify(signed, resolve_key=resolve_did_key)
    signed["name"] = "Teamwork Badge (forged)"
    assert not independent_verify(signed)


def test_proof_set_of_two_keys(key: Ed25519PrivateKey, other_key: Ed25519PrivateKey) -> None:
    once = sign(
        unsigned_ob(),
        private_key=key,
        verification_method=did_key_verification_method(key.public_key()),
        created=CREATED,
    )
    twice = sign(
        once,
        private_key=other_key,
        verification_method=did_key_verification_method(other_key.public_key()),
        created=CREATED,
    )
    assert isinstance(twice["proof"], list) and len(twice["proof"]) == 2
    assert twice["proof"][0] == once["proof"]
    assert "previousProof" not in twice["proof"][1]
    assert independent_verify(twice)
    result = verify(twice, resolve_key=resolve_did_key)
    assert result.verification_methods == tuple(p["verificationMethod"] for p in twice["proof"])
    # Each proof of a set stands alone: either one alone still verifies.
    for proof in twice["proof"]:
        assert verify({**twice, "proof": proof}, resolve_key=resolve_did_key)
    # Every proof must verify.
    broken = copy.deepcopy(twice)
    broken["proof"][1]["proofValue"] = once["proof"]["proofValue"]
    result = verify(broken, resolve_key=resolve_did_key)
    assert result.reason is Reason.BAD_SIGNATURE and result.detail.startswith("proof 1:")


def test_sign_does_not_change_its_input(key: Ed25519PrivateKey) -> None:
    document = unsigned_ob()
    before = copy.deepcopy(document)
    sign(document, private_key=key, verification_method="did:key:x#x", created=CREATED)
    assert document == before


def test_sign_refuses_a_naive_created(key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError, match="timezone"):
        sign(
            unsigned_ob(),
            private_key=key,
            verification_method="did:key:x#x",
            created=datetime(2024, 1, 1),
        )


# --- tampering ----------------------------------------------------------------------------------


def leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, (*path, i))
    else:
        yield path


def tampered(document: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    value = parent[path[-1]]
    if isinstance(value, bool):
        parent[path[-1]] = not value
    elif isinstance(value, int | float):
        parent[path[-1]] = value + 1
    elif isinstance(value, str) and value.startswith("z") and path[-1] == "proofValue":
        alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        last = value[-1]
        parent[path[-1]] = value[:-1] + alphabet[(alphabet.index(last) + 1) % len(alphabet)]
    else:
        parent[path[-1]] = f"{value}x"
    return changed


@pytest.mark.parametrize("name", ["ob_signed.json", "signedDataInt.json"])
def test_changing_any_leaf_breaks_verification(name: str) -> None:
    signed = vector_json(name)

    def resolver(method: str) -> Ed25519PublicKey | None:
        return resolve_did_key(method) or ob_resolver(method)

    assert verify(signed, resolve_key=resolver)
    paths = list(leaves(signed))
    assert len(paths) > 15
    for path in paths:
        result = verify(tampered(signed, path), resolve_key=resolver)
        assert not result, path
        assert result.reason is not None


def test_a_tampered_proof_value_is_a_bad_signature() -> None:
    signed = tampered(vector_json("ob_signed.json"), ("proof", "proofValue"))
    assert verify(signed, resolve_key=ob_resolver).reason is Reason.BAD_SIGNATURE


def test_a_changed_value_is_a_bad_signature() -> None:
    signed = vector_json("ob_signed.json")
    signed["credentialSubject"]["achievement"]["name"] = "Leadership"
    assert verify(signed, resolve_key=ob_resolver).reason is Reason.BAD_SIGNATURE


def test_the_wrong_key_is_a_bad_signature(key: Ed25519PrivateKey) -> None:
    result = verify(vector_json("ob_signed.json"), resolve_key=lambda method: key.public_key())
    assert result.reason is Reason.BAD_SIGNATURE


def test_an_unknown_verification_method() -> None:
    result = verify(vector_json("ob_signed.json"), resolve_key=resolve_did_key)
    assert result.reason is Reason.UNKNOWN_VERIFICATION_METHOD


def test_a_resolver_that_raises_is_an_unknown_verification_method() -> None:
    def broken(method: str) -> Ed25519PublicKey | None:
        raise LookupError("no such institution")

    result = verify(vector_json("ob_signed.json"), resolve_key=broken)
    assert (
        result.reason is Reason.UNKNOWN_VERIFICATION_METHOD
        and "no such institution" in result.detail
    )


def ob_with(**proof: Any) -> dict[str, Any]:
    signed = vector_json("ob_signed.json")
    signed["proof"].update(proof)
    return {**signed, "proof": {k: v for k, v in signed["proof"].items() if v is not None}}


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (None, Reason.MALFORMED),
        (42, Reason.MALFORMED),
        ([], Reason.MALFORMED),
        ("{not json", Reason.MALFORMED),
        (b"\xff\xfe", Reason.MALFORMED),
        ("[" * 100_000 + "]" * 100_000, Reason.MALFORMED),
        ({"proof": {}}, Reason.MALFORMED),
        ({"@context": "https://www.w3.org/ns/credentials/v2"}, Reason.NO_PROOF),
        ({"@context": "https://www.w3.org/ns/credentials/v2", "proof": []}, Reason.NO_PROOF),
        ({"@context": 7, "proof": {}}, Reason.MALFORMED),
        ({"@context": "https://evil.example/ctx", "proof": {}}, Reason.MALFORMED),
        (ob_with(cryptosuite="ecdsa-rdfc-2019"), Reason.UNSUPPORTED_CRYPTOSUITE),
        (ob_with(type="Ed25519Signature2020"), Reason.UNSUPPORTED_CRYPTOSUITE),
        (ob_with(proofPurpose="authentication"), Reason.WRONG_PROOF_PURPOSE),
        (ob_with(proofPurpose=None), Reason.WRONG_PROOF_PURPOSE),
        (ob_with(proofValue=None), Reason.MALFORMED),
        (ob_with(proofValue="uAAAA"), Reason.MALFORMED),
        (ob_with(proofValue="z0OIl"), Reason.MALFORMED),
        (ob_with(proofValue="z2222"), Reason.MALFORMED),
        (ob_with(proofValue=12), Reason.MALFORMED),
        (ob_with(verificationMethod=None), Reason.MALFORMED),
        (ob_with(verificationMethod=["x"]), Reason.MALFORMED),
        (ob_with(created="yesterday"), Reason.MALFORMED),
        (ob_with(created="2010-13-01T19:23:24Z"), Reason.MALFORMED),
        (ob_with(previousProof="urn:uuid:1"), Reason.MALFORMED),
        (ob_with(**{"@context": ["https://www.w3.org/ns/credentials/v2"]}), Reason.MALFORMED),
        ({**vector_json("ob_signed.json"), "proof": "z123"}, Reason.MALFORMED),
        ({**vector_json("ob_signed.json"), "proof": [None]}, Reason.MALFORMED),
        ({**vector_json("ob_signed.json"), "extra": "unsigned"}, Reason.MALFORMED),
    ],
)
def test_bad_input_is_a_failed_result_never_an_exception(document: Any, reason: Reason) -> None:
    result = verify(document, resolve_key=ob_resolver)
    assert not result.verified
    assert result.reason is reason, result.detail
    assert result.detail


def test_hostile_nesting_is_a_failed_result() -> None:
    document: dict[str, Any] = {"@context": "https://www.w3.org/ns/credentials/v2", "proof": {}}
    node = document
    for _ in range(100_000):
        node["credentialSubject"] = {}
        node = node["credentialSubject"]
    assert verify(document, resolve_key=ob_resolver).reason is Reason.MALFORMED
