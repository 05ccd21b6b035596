"""What every router of the JSON API shares: paging, pages, texts in four languages, conflicts.

A list endpoint takes ``params: Query[Paging]`` (or a query schema that extends ``Paging``),
declares ``response=Page[ItemOut]`` and returns ``page(rows, params, convert)``: ``count`` (all
the rows that match), ``next_offset`` (``None`` on the last page) and the page's rows under
``results``. ``ItemsPage`` is the same page under ``items``, the key the authoring endpoints
have always answered with. Each instantiation is its own OpenAPI component, pydantic's name
for it: ``Page[InstitutionOut]`` is ``Page_InstitutionOut_`` (titled ``Page[InstitutionOut]``).

Content in the four languages is ``Texts`` (``en``, ``ru``, ``uk``, ``kk``), read from a
modeltranslation field with ``texts(obj, "name")``.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, Literal, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

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
