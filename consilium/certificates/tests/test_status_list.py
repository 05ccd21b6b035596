"""Bitstring Status List: the spec's example, bit order, size limits, malformed lists."""

from __future__ import annotations

import base64
import gzip
import zlib
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from consilium.certificates.integrity import sign, verify
from consilium.certificates.jsonld import canonicalize
from consilium.certificates.multikey import did_key_verification_method, resolve_did_key
from consilium.certificates.status_list import (
    MAX_BYTES,
    MIN_BITS,
    StatusList,
    StatusListError,
    status_list_credential,
    status_list_entry,
)

# The encodedList of the specification's BitstringStatusListCredential example: 16 KB of zeros.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def u(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_the_spec_example_decodes_to_16_kb_of_zeros_and_is_what_we_encode() -> None:
    decoded = StatusList.decode(SPEC_EXAMPLE)
    assert len(decoded) == MIN_BITS == 16 * 1024 * 8
    assert decoded.to_bytes() == bytes(16 * 1024)
    assert StatusList().encode() == SPEC_EXAMPLE


def test_index_zero_is_the_left_most_bit() -> None:
    status_list = StatusList()
    status_list[0] = True
    status_list[9] = True
    status_list[MIN_BITS - 1] = True
    raw = status_list.to_bytes()
    assert raw[0] == 0b1000_0000
    assert raw[1] == 0b0100_0000
    assert raw[-1] == 0b0000_0001
    assert sum(bin(b).count("1") for b in raw) == 3
    status_list[9] = False
    assert not status_list[9] and status_list[0]
    assert StatusList.decode(status_list.encode()).to_bytes() == status_list.to_bytes()


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=0, max_value=2).map(lambda extra: MIN_BITS + extra * 8 * 1024),
    st.sets(st.integers(min_value=0, max_value=MIN_BITS - 1), max_size=50),
)
def test_round_trip(length: int, revoked: set[int]) -> None:
    status_list = StatusList(length)
    for index in revoked:
        status_list[index] = True
    decoded = StatusList.decode(status_list.encode())
    assert len(decoded) == length
    assert {i for i in range(length) if decoded[i]} == revoked


@pytest.mark.parametrize("length", [0, 8, MIN_BITS - 8, MIN_BITS + 1])
def test_a_list_is_at_least_16_kb_and_whole_bytes(length: int) -> None:
    with pytest.raises(StatusListError):
        StatusList(length)


@pytest.mark.parametrize("index", [-1, MIN_BITS])
def test_indexes_outside_the_list_raise(index: int) -> None:
    status_list = StatusList()
    with pytest.raises(StatusListError, match="outside"):
        status_list[index]
    with pytest.raises(StatusListError, match="outside"):
        status_list[index] = True


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        SPEC_EXAMPLE[1:],  # no multibase prefix
        "z" + SPEC_EXAMPLE[1:],
        SPEC_EXAMPLE + "=",  # padding
        SPEC_EXAMPLE.replace("-", "+"),  # base64, not base64url
        "uA",
        u(zlib.compress(bytes(16 * 1024))),  # zlib, not GZIP
        u(gzip.compress(bytes(1024), mtime=0)),  # too short
        u(gzip.compress(bytes(16 * 1024), mtime=0) + b"junk"),
        u(gzip.compress(bytes(16 * 1024), mtime=0)[:-4]),  # truncated
        u(gzip.compress(bytes(MAX_BYTES + 1), mtime=0)),  # a bomb
    ],
)
def test_malformed_lists_raise(encoded: str) -> None:
    with pytest.raises(StatusListError):
        StatusList.decode(encoded)


def test_entry() -> None:
    assert status_list_entry(list_url="https://c.example/status/1", index=94567) == {
        "id": "https://c.example/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://c.example/status/1",
    }
    with pytest.raises(StatusListError):
        status_list_entry(list_url="https://c.example/status/1", index=-1)


def test_status_list_credential_canonicalizes_every_field_and_verifies(
    key: Ed25519PrivateKey,
) -> None:
    status_list = StatusList()
    status_list[42] = True
    credential = status_list_credential(
        list_url="https://c.example/status/1",
        issuer="https://c.example/institutions/kaznmu",
        status_list=status_list,
        valid_from=datetime(2025, 1, 1, tzinfo=UTC),
        valid_until=datetime(2025, 1, 2, tzinfo=UTC),
        ttl_ms=300_000,
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    nquads = canonicalize(credential)
    for expected in (
        "status#BitstringStatusListCredential>",
        "<https://c.example/status/1#list> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/status#BitstringStatusList>",
        f'status#encodedList> "{status_list.encode()}"',
        'status#statusPurpose> "revocation"',
        'status#ttl> "300000"',
        '#validFrom> "2025-01-01T00:00:00Z"',
        '#validUntil> "2025-01-02T00:00:00Z"',
        "#issuer> <https://c.example/institutions/kaznmu>",
    ):
        assert expected in nquads
    signed = sign(
        credential,
        private_key=key,
        verification_method=did_key_verification_method(key.public_key()),
        created=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert verify(signed, resolve_key=resolve_did_key)
    assert StatusList.decode(signed["credentialSubject"]["encodedList"])[42]
