"""The order in which content languages stand in for one another, the same everywhere.

A text missing in the reader's language is shown in the first language of
``settings.MODELTRANSLATION_FALLBACK_LANGUAGES[reader]`` that has it: Kazakh readers get
Russian, then English; Ukrainian readers English, then Russian; Russian readers English; English
readers Russian. Names (modeltranslation's fields) follow it through the setting itself; texts
kept per language in rows of their own (a course's variants, …) pick with ``pick`` below, so a
list never shows a course in its original language beside names in the reader's fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from django.conf import settings
from django.utils import translation

T = TypeVar("T")


def content_languages(language: str | None = None) -> tuple[str, ...]:
    """Every content language, the reader's (the active one by default) first, then its
    fallbacks in order, then any left."""
    reader = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    table = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    fallbacks = table.get(reader) or table.get("default") or ()
    order: list[str] = [reader] if reader in settings.MODELTRANSLATION_LANGUAGES else []
    for code in (*fallbacks, *settings.MODELTRANSLATION_LANGUAGES):
        if code not in order:
            order.append(code)
    return tuple(order)


def pick(by_language: Mapping[str, T], language: str | None = None) -> T | None:
    """The value for the first of ``content_languages(language)`` that ``by_language`` has."""
    for code in content_languages(language):
        if code in by_language:
            return by_language[code]
    return None
