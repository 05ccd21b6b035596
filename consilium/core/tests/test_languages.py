"""One order of content languages everywhere (core/languages.py)."""

from __future__ import annotations

from django.utils import translation

from consilium.core.languages import content_languages, pick


def test_each_reader_has_one_order_from_the_settings() -> None:
    assert content_languages("kk") == ("kk", "ru", "en", "uk")
    assert content_languages("uk") == ("uk", "en", "ru", "kk")
    assert content_languages("ru") == ("ru", "en", "kk", "uk")
    assert content_languages("en")[0] == "en"
    with translation.override("kk"):
        assert content_languages() == ("kk", "ru", "en", "uk")


def test_pick_follows_the_order() -> None:
    titles = {"en": "Triage", "ru": "Сортировка"}
    assert pick(titles, "kk") == "Сортировка"
    assert pick(titles, "uk") == "Triage"
    assert pick({}, "uk") is None
