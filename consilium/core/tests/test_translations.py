"""The translation catalogues are complete (the fast half of `make check-translations`)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from consilium.core.management.commands.checktranslations import (
    catalogue_paths,
    check_catalogue,
    check_catalogues,
    check_extraction,
    gettext_available,
    python_placeholders,
)

RU_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def test_every_language_has_a_catalogue() -> None:
    languages = {path.parent.parent.name for path in catalogue_paths(settings.LOCALE_PATHS)}
    expected = {code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
    assert expected <= languages


def test_all_catalogues_are_complete() -> None:
    report = check_catalogues(settings.LOCALE_PATHS)
    listing = "\n".join(
        f"{path}:\n" + "\n".join(f"  {problem}" for problem in problems)
        for path, problems in report.items()
    )
    assert not report, f"Incomplete translations:\n{listing}"


def test_the_command_passes_on_the_catalogues() -> None:
    call_command("checktranslations", "--skip-extraction", verbosity=0)


def _catalogue(
    tmp_path: Path, entries: list[polib.POEntry], plural_forms: str = RU_PLURALS
) -> Path:
    po = polib.POFile()
    po.metadata = {
        "Language": "ru",
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": plural_forms,
    }
    po.extend(entries)
    path = tmp_path / "ru" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def test_problems_are_found(tmp_path: Path) -> None:
    path = _catalogue(
        tmp_path,
        [
            polib.POEntry(msgid="Save", msgstr="Сохранить"),
            polib.POEntry(msgid="Close", msgstr=""),
            polib.POEntry(msgid="Edit", msgstr="Правка", flags=["fuzzy"]),
            polib.POEntry(
                msgid="Hello %(name)s", msgstr="Привет, %(nom)s", flags=["python-format"]
            ),
            polib.POEntry(
                msgid='See <a href="%(url)s">docs</a>',
                msgstr="См. документацию: %(url)s",
                flags=["python-format"],
            ),
            polib.POEntry(
                msgid="%(n)s day",
                msgid_plural="%(n)s days",
                msgstr_plural={0: "%(n)s день", 1: "%(n)s дня"},
                flags=["python-format"],
            ),
        ],
    )
    problems = "\n".join(check_catalogue(path))
    assert "'Save'" not in problems
    assert "untranslated: 'Close'" in problems
    assert "fuzzy: 'Edit'" in problems
    assert "placeholders differ in 'Привет, %(nom)s'" in problems
    assert "HTML tags differ" in problems
    assert "plural forms [0, 1] instead of 0..2: '%(n)s day'" in problems
    with pytest.raises(CommandError), override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("checktranslations", "--skip-extraction", verbosity=0)


def test_header_problems_are_found(tmp_path: Path) -> None:
    path = _catalogue(
        tmp_path, [polib.POEntry(msgid="Save", msgstr="Сохранить")], "nplurals=2; plural=(n%10);"
    )
    assert any("plural expression gives form(s)" in line for line in check_catalogue(path))


def test_placeholders() -> None:
    named, positional = python_placeholders("%(a)s of %(b)d, %s and %5.1f%%")
    assert named == {"a": 1, "b": 1}
    assert positional == ["s", "f"]


@pytest.mark.skipif(not gettext_available(), reason="GNU gettext is not installed")
def test_strings_missing_from_the_catalogues_are_found(tmp_path: Path) -> None:
    templates = tmp_path / "app" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(
        '{% load i18n %}{% translate "Save" %} {% translate "A brand-new string" %}'
    )
    path = _catalogue(tmp_path / "locale", [polib.POEntry(msgid="Save", msgstr="Сохранить")])
    before = path.read_bytes()
    missing, stale = check_extraction(tmp_path, [tmp_path / "locale"])
    assert missing == {path: ["'A brand-new string'"]}
    assert stale == {}
    assert path.read_bytes() == before  # the catalogue itself is left alone
