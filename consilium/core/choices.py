"""Choice labels looked up in a per-language table.

Django's ``get_FOO_display`` rebuilds a dict of every choice (hashing each lazy label, which
translates it) on every call: on a list of 20 rows with 44 countries that is thousands of
translations per request. These tables are built once per language and reused.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language

_TABLES: dict[tuple[int, str], dict[str, str]] = {}


def label(choices: Iterable[tuple[Any, Any]], value: Any) -> str:
    """The label of ``value`` in ``choices`` in the active language (the value if unknown)."""
    key = (id(choices), get_language() or "")
    table = _TABLES.get(key)
    if table is None:
        table = {str(code): str(text) for code, text in choices}
        _TABLES[key] = table
    return table.get(str(value), str(value) if value is not None else "")
