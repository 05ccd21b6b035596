"""Offline JSON-LD for credentials: a closed document loader and RDFC-1.0 canonicalization.

Verification must never touch the network, and a signature must cover every field a reader
sees. So pyld gets a loader that serves only the contexts shipped in ``contexts/`` (by exact
URL), its own context cache (pyld's process-wide cache could hold contexts another caller
fetched from anywhere), and a processor that raises on any term the contexts do not define
instead of silently dropping it ("safe mode"). ``canonicalize`` returns the RDFC-1.0
(URDNA2015) N-Quads that eddsa-rdfc-2022 hashes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld as pyld_jsonld
from pyld.context_resolver import ContextResolver

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

#: Context URL -> file in ``contexts/``. Nothing else is ever loaded.
CONTEXT_FILES: Mapping[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "cred-v2.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "ex-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-3.0.3.jsonld",
}

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class CanonicalizationError(ValueError):
    """The document cannot be turned into canonical N-Quads without losing or fetching data."""


class UnknownContextError(CanonicalizationError):
    """The document refers to a context URL that is not shipped with Consilium."""


class DroppedTermError(CanonicalizationError):
    """A property or type is not defined by the contexts, so it would not be signed."""


@cache
def _parsed_context(url: str) -> dict[str, Any]:
    context: dict[str, Any] = json.loads(
        (CONTEXTS_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8")
    )
    return context


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader serving only the shipped contexts; raises for any other URL."""
    if url not in CONTEXT_FILES:
        raise UnknownContextError(f"JSON-LD context {url!r} is not shipped with Consilium")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # pyld may rewrite relative URLs inside a context in place: hand it a copy.
        "document": copy.deepcopy(_parsed_context(url)),
        # "static" lets the resolver keep the processed context in our cache below.
        "tag": "static",
    }


# Our own resolved-context cache: pyld's module-level one is shared with any other caller.
# pyld also files every scoped (inline) context here: the shipped ones need about 30 entries,
# and a bound keeps inline contexts of documents sent for verification from piling up.
_CONTEXT_CACHE: LRUCache[str, Any] = LRUCache(maxsize=128)


def _raise_dropped(term: str | None) -> None:
    raise DroppedTermError(f"term {term!r} is not defined by the document's contexts")


def _options(**extra: Any) -> dict[str, Any]:
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_CONTEXT_CACHE, document_loader),
        "base": None,  # pyld resolves against "http://example.org/base/" when base is ""
        **extra,
    }


def _unwrap(exc: BaseException) -> CanonicalizationError:
    """Find our own error inside pyld's wrapping, or describe pyld's."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CanonicalizationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return CanonicalizationError(f"invalid JSON-LD: {exc}")


def _is_absolute(iri: str) -> bool:
    return iri.startswith("_:") or (":" in iri and not iri.startswith(":"))


def _check_iris(node: Any) -> None:
    """Relative @id/@type values are dropped by toRdf without notice: refuse them."""
    if isinstance(node, list):
        for item in node:
            _check_iris(item)
        return
    if not isinstance(node, dict):
        return
    iri = node.get("@id")
    if isinstance(iri, str) and not _is_absolute(iri):
        raise DroppedTermError(f"identifier {iri!r} is not an absolute IRI")
    types = node.get("@type", [])
    if "@value" not in node:
        for type_ in types if isinstance(types, list) else [types]:
            if isinstance(type_, str) and not _is_absolute(type_):
                raise DroppedTermError(f"type {type_!r} is not defined by the document's contexts")
    for key, value in node.items():
        if key not in ("@id", "@type", "@value"):
            _check_iris(value)


def expand(document: Mapping[str, Any]) -> list[Any]:
    """Expand ``document`` offline and strictly (undefined terms raise ``DroppedTermError``)."""
    processor = pyld_jsonld.JsonLdProcessor(on_property_dropped=_raise_dropped)
    try:
        expanded = processor.expand(dict(document), _options())
    except Exception as exc:
        raise _unwrap(exc) from exc
    _check_iris(expanded)
    return list(expanded)


def canonicalize(document: Mapping[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of ``document``, strictly and offline."""
    expanded = expand(document)
    try:
        return str(
            pyld_jsonld.JsonLdProcessor().normalize(
                expanded, _options(algorithm="URDNA2015", format="application/n-quads")
            )
        )
    except Exception as exc:
        raise _unwrap(exc) from exc
