"""Ed25519 Multikey encoding and did:key resolution against the W3C key pair."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from consilium.certificates.multikey import (
    KeyFormatError,
    decode_private_key,
    decode_public_key,
    did_key,
    did_key_verification_method,
    encode_private_key,
    encode_public_key,
    resolve_did_key,
)

from .conftest import OB_KEY, vector_json


def test_w3c_key_pair_round_trips() -> None:
    pair = vector_json("keyPair.json")
    private = decode_private_key(pair["privateKeyMultibase"])
    assert encode_private_key(private) == pair["privateKeyMultibase"]
    assert encode_public_key(private.public_key()) == pair["publicKeyMultibase"]
    assert (
        encode_public_key(decode_public_key(pair["publicKeyMultibase"]))
        == pair["publicKeyMultibase"]
    )


def test_generated_keys_are_z6mk_and_round_trip(key: Ed25519PrivateKey) -> None:
    public = encode_public_key(key.public_key())
    assert public.startswith("z6Mk")
    assert encode_public_key(decode_public_key(public)) == public
    assert encode_private_key(decode_private_key(encode_private_key(key))) == encode_private_key(
        key
    )


def test_did_key_verification_method_resolves_to_its_key(key: Ed25519PrivateKey) -> None:
    method = did_key_verification_method(key.public_key())
    assert method == f"{did_key(key.public_key())}#{encode_public_key(key.public_key())}"
    resolved = resolve_did_key(method)
    assert resolved is not None and encode_public_key(resolved) == encode_public_key(
        key.public_key()
    )


@pytest.mark.parametrize(
    "method",
    [
        f"did:key:{OB_KEY}",  # a DID, not a verification method
        f"did:key:{OB_KEY}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  # another key's id
        f"https://example.edu/issuers/565049#{OB_KEY}",
        "did:key:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq#z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
        "did:key:z0OIl#z0OIl",  # not base58
        "did:key:#",
        "",
    ],
)
def test_other_methods_do_not_resolve(method: str) -> None:
    assert resolve_did_key(method) is None


@pytest.mark.parametrize("value", ["", "6Mk", "z", "zzzz", "u" + OB_KEY[1:], OB_KEY[:-2]])
def test_malformed_multikeys_raise_key_format_error(value: str) -> None:
    with pytest.raises(KeyFormatError):
        decode_public_key(value)
