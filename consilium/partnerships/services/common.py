"""What every partnerships service shares: the content version they bump and the languages."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from consilium.core.services import read_only

LANGS = [code for code, _label in settings.LANGUAGES]

# The ContentVersion of everything here: cached pages that show agreements or programmes
# (the signed-in agreements list, core/person_cache.py) carry it in their key.
CONTENT = "partnerships"


@read_only
def set_translations(obj: Any, base: str, values: dict[str, str]) -> None:
    """Set ``<base>_<lang>`` on ``obj`` for each language given (unknown languages are ignored)."""
    for lang, value in values.items():
        if lang in LANGS:
            setattr(obj, f"{base}_{lang}", (value or "").strip())
