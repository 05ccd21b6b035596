"""Choice labels looked up in a per-language table.

Django's ``get_FOO_display`` rebuilds a dict of every choice (hashing each lazy label, which
translates it) on every call: on a list of 20 rows with 44 countries that is thousands of
translations per request. These tables are built once per language and reused.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Choices
from django.utils.translation import get_language

# (id of the source, language) -> (the source itself, {value: label}). Keeping the source
# makes a reused id (of a list that has since been freed) a miss instead of a wrong answer.
_TABLES: dict[tuple[int, str], tuple[Any, dict[str, str]]] = {}


def label(source: type[Choices] | Iterable[tuple[Any, Any]], value: Any) -> str:
    """The label of ``value`` in ``source`` (a Choices class or a constant list of pairs)."""
    key = (id(source), get_language() or "")
    entry = _TABLES.get(key)
    if entry is None or entry[0] is not source:
        pairs = source.choices if isinstance(source, type) else source
        entry = (source, {str(code): str(text) for code, text in pairs})
        _TABLES[key] = entry
    return entry[1].get(str(value), str(value) if value is not None else "")
