"""What every router of the JSON API shares: paging, pages, texts in four languages, conflicts.

A list endpoint takes ``params: Query[Paging]`` (or a query schema that extends ``Paging``),
declares ``response=Page[ItemOut]`` and returns ``page(rows, params, convert)``: ``count`` (all
the rows that match), ``next_offset`` (``None`` on the last page) and the page's rows under
``results``. ``ItemsPage`` is the same page under ``items``, the key the authoring endpoints
have always answered with. Each instantiation is its own OpenAPI component, pydantic's name
for it: ``Page[InstitutionOut]`` is ``Page_InstitutionOut_`` (titled ``Page[InstitutionOut]``).

Content in the four languages is ``Texts`` (``en``, ``ru``, ``uk``, ``kk``), read from a
modeltranslation field with ``texts(obj, "name")``.

Errors have one shape, ``Error`` (``detail``; ``Invalid`` adds ``errors`` and ``codes`` per field
for a 400), and the API documents them on every operation by itself (``document_errors``): 400
where a request carries input, 401 and 403 everywhere, 404 where the path names an object, 409
where the operation declares a ``Conflict``. An operation anyone may use without a token is
marked ``@public`` (under the router's decorator), so the document says the token is optional.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, Literal, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.parser import Parser

MAX_OFFSET = 10**9  # one bound for every list: beyond it a database integer may overflow
MAX_LIMIT = 100
DEFAULT_LIMIT = 20

T = TypeVar("T")


class Paging(Schema):
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page")


class _PageBase(Schema):
    count: int = Field(..., description="Rows that match, on every page")
    next_offset: int | None = Field(
        ..., description="The offset of the next page; null on the last"
    )


class Page(_PageBase, Generic[T]):
    """One page of a list; the rows are under ``results``."""

    results: list[T]


class ItemsPage(_PageBase, Generic[T]):
    """One page of a list; the rows are under ``items``."""

    items: list[T]


def page(
    rows: QuerySet[Any] | Sequence[Any],
    paging: Paging,
    convert: Callable[[list[Any]], Iterable[Any]] | None = None,
    *,
    key: Literal["results", "items"] = "results",
) -> dict[str, Any]:
    """The page of ``rows`` that ``paging`` asks for, as ``Page``/``ItemsPage`` expect it.

    It fetches one row more than the page holds to learn whether another page follows, and
    counts all the rows (a query for a queryset). ``convert`` turns the page's rows into what
    the page lists (e.g. ``lambda rows: [_out(r) for r in rows]``); without it the rows are
    listed as they are, for the schema to read.
    """
    end = paging.offset + paging.limit
    window = list(rows[paging.offset : end + 1])
    shown = window[: paging.limit]
    return {
        "count": rows.count() if isinstance(rows, QuerySet) else len(rows),
        "next_offset": end if len(window) > paging.limit else None,
        key: list(convert(shown)) if convert is not None else shown,
    }


class Texts(Schema):
    """A text in each language of the interface; a language left out is empty."""

    en: str = ""
    ru: str = ""
    uk: str = ""
    kk: str = ""


LANGUAGES = tuple(Texts.model_fields)


def texts(obj: Any, base: str) -> dict[str, str]:
    """``Texts`` of ``obj``'s translated field ``base`` (``name_en``, ``name_ru``, …)."""
    return {lang: getattr(obj, f"{base}_{lang}", "") or "" for lang in LANGUAGES}


class Conflict(Schema):
    """409: someone saved in between; nothing was written. Read `revision` and send again."""

    detail: str
    revision: int


# --- errors, documented once for every operation ------------------------------------------


class Error(Schema):
    """An error: what went wrong, in the language of the request (``Accept-Language``)."""

    detail: str


class Invalid(Error):
    """400: the input is not valid. Per field (``__all__`` for the whole request), the messages
    for people and, in the same order, one code per message for programs."""

    errors: dict[str, list[str]] = Field(default_factory=dict)
    codes: dict[str, list[str]] = Field(default_factory=dict)


ERROR_RESPONSES: dict[int, tuple[type[Schema], str]] = {
    400: (Invalid, "The input is not valid (a malformed request, or one our rules refuse)"),
    401: (Error, "The token sent is wrong, revoked or its owner deactivated"),
    403: (Error, "Not allowed (without a token: the operation needs one)"),
    404: (Error, "Not found, or not visible to you"),
}

PUBLIC = "__consilium_public__"


def public(view: T) -> T:
    """Mark an operation anyone may use without a token (put it under ``@router.get``)."""
    setattr(view, PUBLIC, True)
    return view


def is_public(view: Any) -> bool:
    return bool(getattr(view, PUBLIC, False))


def document_errors(schema: dict[str, Any], public_ids: set[str], security: str) -> None:
    """Add the errors every operation may answer to the OpenAPI ``schema`` (where the operation
    does not document them itself), and make the token optional on the operations whose ids are
    in ``public_ids``."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for shape in (Error, Invalid):
        components[shape.__name__] = shape.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            params = operation.get("parameters", [])
            wanted = {401, 403}
            if params or "requestBody" in operation:
                wanted.add(400)
            if any(p.get("in") == "path" for p in params):
                wanted.add(404)
            for status in sorted(wanted):
                if status in responses or str(status) in responses:
                    continue
                model, description = ERROR_RESPONSES[status]
                responses[status] = {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                        }
                    },
                }
            if operation.get("operationId") in public_ids:
                operation["security"] = [{security: []}, {}]  # a token is optional


# --- input no column can hold: refused before any code reads it ---------------------------

# NUL and lone surrogates: PostgreSQL refuses the one in text and UTF-8 cannot encode the other.
BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
MAX_INTEGER = 2**63 - 1  # the widest integer column; a JSON number beyond it fits none


class RefusedInput(ValueError):
    """Input refused before it reaches a schema: a 400 with ``message`` under ``__all__``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def refuse_unstorable(value: Any) -> None:
    """Raise ``RefusedInput`` if ``value`` (decoded JSON or query values) holds text with a NUL
    or a lone surrogate, or an integer beyond 64 bits, anywhere."""
    if isinstance(value, str):
        if BAD_CHARACTERS.search(value):
            raise RefusedInput(
                _("The text contains a character that is not allowed (NUL or a lone surrogate)."),
                "null_characters_not_allowed",
            )
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
            raise RefusedInput(_("The number is too large."), "number_too_large")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_unstorable(key)
            refuse_unstorable(item)
    elif isinstance(value, list):
        for item in value:
            refuse_unstorable(item)


class InputParser(Parser):
    """ninja's parser, stricter: a JSON body is an object, and neither the body nor the query
    string may hold what no column can store (``refuse_unstorable``)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise RefusedInput(_("The request body must be a JSON object."), "object_expected")
        refuse_unstorable(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        if data is request.GET or data is request.POST:
            refuse_unstorable(result)
        return result
