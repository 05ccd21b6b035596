"""Offline, strict canonicalization: the official canonical forms, no network, no dropped terms."""

from __future__ import annotations

import copy
import hashlib
import socket
from typing import Any

import pytest
from pyld import jsonld as pyld_jsonld
from pyld.resolved_context import ResolvedContext

from consilium.certificates import jsonld
from consilium.certificates.jsonld import (
    CONTEXT_FILES,
    CONTEXTS_DIR,
    DroppedTermError,
    UnknownContextError,
    canonicalize,
    document_loader,
)

from .conftest import VECTORS, vector, vector_json


def without_proof(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "proof"}


def test_w3c_document_canonical_form_is_the_official_one() -> None:
    document = without_proof(vector_json("signedDataInt.json"))
    assert canonicalize(document) == vector("canonDocDataInt.txt")


def test_ob_document_canonical_form_is_the_official_one() -> None:
    document = without_proof(vector_json("ob_signed.json"))
    assert canonicalize(document) == vector("ob_doc_canon.txt")


@pytest.mark.parametrize("url", sorted(CONTEXT_FILES))
def test_shipped_contexts_are_the_official_files(url: str) -> None:
    shipped = document_loader(url)["document"]
    assert shipped == vector_json(CONTEXT_FILES[url])
    name = CONTEXT_FILES[url]
    assert (CONTEXTS_DIR / name).read_bytes() == (VECTORS / name).read_bytes()


def test_the_vendored_vectors_are_the_official_files() -> None:
    """Every file in ``vectors/`` has the digest the upstream file had (``SHA256SUMS``)."""
    lines = (VECTORS / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {name: digest for digest, name in (line.split(maxsplit=1) for line in lines)}
    present = {p.name for p in VECTORS.iterdir()} - {"README.md", "SHA256SUMS"}
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((VECTORS / name).read_bytes()).hexdigest() == digest, name


def test_loader_refuses_any_other_url() -> None:
    for url in (
        "https://www.w3.org/2018/credentials/v1",
        "https://www.w3.org/ns/credentials/v2/",  # exact match only
        "http://www.w3.org/ns/credentials/v2",
        "https://w3id.org/security/data-integrity/v2",
        "file:///etc/passwd",
    ):
        with pytest.raises(UnknownContextError, match="not shipped"):
            document_loader(url, {})


def test_a_document_with_an_unshipped_context_is_refused_without_the_network() -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/context"],
        "type": ["VerifiableCredential"],
    }
    with pytest.raises(UnknownContextError, match=r"evil\.example"):
        canonicalize(document)


def test_the_network_guard_itself_works() -> None:
    with pytest.raises(AssertionError, match="network access"):
        socket.create_connection(("example.org", 80))


def test_pyld_global_cache_and_loader_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another caller may have filled pyld's process-wide cache or default loader: ignore them."""

    def poisoned(url: str, options: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError("pyld's default loader was used")

    monkeypatch.setattr(pyld_jsonld, "_default_document_loader", poisoned)
    monkeypatch.setattr(pyld_jsonld, "_resolved_context_cache", pyld_jsonld.LRUCache(maxsize=10))
    evil = {"@context": {"@vocab": "https://evil.example/#"}}
    pyld_jsonld._resolved_context_cache["https://www.w3.org/ns/credentials/v2"] = {
        "static": ResolvedContext(evil)
    }
    document = {"@context": "https://www.w3.org/ns/credentials/v2", "id": "urn:x", "name": "n"}
    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    assert "evil.example" in pyld_jsonld.normalize(document, options)  # the poison works...
    assert canonicalize(document) == '<urn:x> <https://schema.org/name> "n" .\n'  # ...not on us
    document = without_proof(vector_json("signedDataInt.json"))
    assert canonicalize(document) == vector("canonDocDataInt.txt")


def test_an_undefined_property_raises_instead_of_being_dropped() -> None:
    document = without_proof(vector_json("ob_signed.json"))
    document["credentialSubject"]["grade"] = "A"
    with pytest.raises(DroppedTermError, match="grade"):
        canonicalize(document)


def test_an_undefined_type_raises_instead_of_being_dropped() -> None:
    document = without_proof(vector_json("ob_signed.json"))
    document["type"].append("MadeUpCredential")
    with pytest.raises(DroppedTermError, match="MadeUpCredential"):
        canonicalize(document)


def test_a_relative_identifier_raises_instead_of_being_dropped() -> None:
    document = without_proof(vector_json("ob_signed.json"))
    document["credentialSubject"]["id"] = "learner-42"
    with pytest.raises(DroppedTermError, match="learner-42"):
        canonicalize(document)


def test_canonicalize_does_not_change_its_input() -> None:
    document = without_proof(vector_json("ob_signed.json"))
    before = copy.deepcopy(document)
    canonicalize(document)
    assert document == before


def test_contexts_readme_lists_every_shipped_context() -> None:
    readme = (jsonld.CONTEXTS_DIR / "README.md").read_text(encoding="utf-8")
    for url, name in CONTEXT_FILES.items():
        assert url in readme and name in readme


def test_shipped_contexts_are_loaded_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []

    def counting(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        loaded.append(url)
        return document_loader(url, options)

    monkeypatch.setattr(jsonld, "document_loader", counting)
    monkeypatch.setattr(jsonld, "_CONTEXT_CACHE", jsonld.LRUCache(maxsize=128))
    for name in ("ob_signed.json", "signedDataInt.json", "ob_signed.json", "signedDataInt.json"):
        canonicalize(without_proof(vector_json(name)))
    assert sorted(loaded) == sorted(CONTEXT_FILES)
