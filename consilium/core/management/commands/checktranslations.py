"""Check the translation catalogues: complete, well-formed and up to date with the code.

Two checks, both reported together:

(a) every catalogue (``locale/*/LC_MESSAGES/*.po``) is complete: no entry is untranslated,
    fuzzy or missing a plural form, the placeholders and HTML tags of each translation are those
    of its source string, and the header names the language, UTF-8 and valid plural forms;
(b) no string of the code or the templates is missing from the catalogues. ``makemessages`` is
    run over a throw-away copy of the project (so the real catalogues are never touched) and the
    message ids it finds are compared with the catalogues'. This needs GNU gettext; without it
    (b) is skipped with a warning and (a) still runs.

The functions are importable so that the test suite can run (a) without gettext.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

# Top-level directories that are not scanned for strings (as `make messages` ignores them).
IGNORED_DIRS = ("node_modules", ".venv", "var", "bench")
# Also left out of the throw-away copy: the catalogues themselves and tool caches.
NOT_COPIED = {*IGNORED_DIRS, "locale", "test-results", "__pycache__"}
GETTEXT_PROGRAMS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

# printf-style conversions as Python's % operator reads them: %(name)s, %s, %5.2f, %%.
PYTHON_FORMAT_RE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)
BRACE_FORMAT_RE = re.compile(r"(?<!\{)\{(?P<field>[^{}]*)\}(?!\})")
HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
NPLURALS_RE = re.compile(r"nplurals\s*=\s*(\d+)")
PLURAL_RE = re.compile(r"plural\s*=\s*(.+?);?\s*$")

MessageKey = tuple[str, str, str]  # (msgctxt, msgid, msgid_plural)


def catalogue_paths(locale_dirs: Iterable[Path | str]) -> list[Path]:
    """Every .po file under the given locale directories, sorted."""
    paths: list[Path] = []
    for locale_dir in locale_dirs:
        paths.extend(sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")))
    return paths


def python_placeholders(text: str) -> tuple[Counter[str], list[str]]:
    """Named placeholders (as a multiset) and the sequence of positional ones in a %-string."""
    named: Counter[str] = Counter()
    positional: list[str] = []
    for match in PYTHON_FORMAT_RE.finditer(text):
        if match["conv"] == "%":
            continue
        if match["name"] is not None:
            named[match["name"]] += 1
        else:
            positional.append(match["conv"])
    return named, positional


def _python_signature(text: str) -> tuple[frozenset[str], list[str]]:
    named, positional = python_placeholders(text)
    return frozenset(named), positional


def _brace_signature(text: str) -> frozenset[str]:
    return frozenset(m["field"] for m in BRACE_FORMAT_RE.finditer(text))


def _same_placeholders(flags: list[str], source: str, translation: str) -> bool:
    if "python-format" in flags:
        return _python_signature(translation) == _python_signature(source)
    if "python-brace-format" in flags:
        return _brace_signature(translation) == _brace_signature(source)
    return True


def _tags(text: str) -> Counter[str]:
    return Counter(HTML_TAG_RE.findall(text))


def _describe(entry: polib.POEntry) -> str:
    text = entry.msgid if len(entry.msgid) <= 70 else entry.msgid[:67] + "..."
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{text!r}"


def _plural_forms(po: polib.POFile) -> tuple[int | None, list[str]]:
    """Number of plural forms the header declares, and problems with the header itself."""
    problems: list[str] = []
    header = po.metadata.get("Plural-Forms", "")
    nplurals_match = NPLURALS_RE.search(header)
    plural_match = PLURAL_RE.search(header.split(";", 1)[1] if ";" in header else "")
    if not nplurals_match or not plural_match:
        return None, [f"header: Plural-Forms is missing or unreadable ({header!r})"]
    nplurals = int(nplurals_match.group(1))
    try:
        plural = gettext.c2py(plural_match.group(1).strip().rstrip(";"))
    except (ValueError, RecursionError):
        return nplurals, [f"header: the plural expression cannot be read ({header!r})"]
    wrong = sorted({plural(n) for n in range(1001)} - set(range(nplurals)))
    if wrong:
        problems.append(
            f"header: the plural expression gives form(s) {wrong} but nplurals={nplurals}"
        )
    return nplurals, problems


def check_catalogue(path: Path) -> list[str]:
    """Problems in one catalogue, each a line of text (empty when the catalogue is complete)."""
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        return [f"cannot be read: {error}"]
    problems: list[str] = []
    language = path.parent.parent.name
    if po.metadata.get("Language", "").replace("-", "_") != language:
        problems.append(
            f"header: Language is {po.metadata.get('Language', '')!r}, not {language!r}"
        )
    if "charset=utf-8" not in po.metadata.get("Content-Type", "").lower().replace(" ", ""):
        problems.append("header: Content-Type must declare charset=UTF-8")
    if po.metadata_is_fuzzy:
        problems.append("header: marked fuzzy")
    nplurals, header_problems = _plural_forms(po)
    problems.extend(header_problems)

    for entry in po:
        if entry.obsolete:
            continue
        where = _describe(entry)
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where}")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if nplurals is not None and sorted(forms) != list(range(nplurals)):
                problems.append(
                    f"plural forms {sorted(forms)} instead of 0..{nplurals - 1}: {where}"
                )
            if not forms or any(not text for text in forms.values()):
                problems.append(f"untranslated (plural): {where}")
                continue
            translations = list(forms.values())
            source = entry.msgid_plural
        else:
            if not entry.msgstr:
                problems.append(f"untranslated: {where}")
                continue
            translations = [entry.msgstr]
            source = entry.msgid
        for text in translations:
            if not _same_placeholders(entry.flags, source, text):
                problems.append(f"placeholders differ in {text!r}: {where}")
            if _tags(text) != _tags(source):
                problems.append(f"HTML tags differ in {text!r}: {where}")
    return problems


def check_catalogues(locale_dirs: Iterable[Path | str]) -> dict[Path, list[str]]:
    """Part (a): the problems of every catalogue that has any, by path."""
    report = {}
    for path in catalogue_paths(locale_dirs):
        problems = check_catalogue(path)
        if problems:
            report[path] = problems
    return report


def message_keys(path: Path) -> set[MessageKey]:
    po = polib.pofile(str(path), wrapwidth=0)
    return {
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        for entry in po
        if not entry.obsolete
    }


def gettext_available() -> bool:
    return all(shutil.which(program) for program in GETTEXT_PROGRAMS)


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def _copy_ignore(root: Path):  # type: ignore[no-untyped-def]
    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name.startswith(".") or name == "__pycache__"}
        if Path(directory).resolve() == root:
            skipped |= {name for name in names if name in NOT_COPIED}
        return skipped

    return ignore


def extract_messages(project_dir: Path, locale_dir: Path) -> dict[Path, set[MessageKey]]:
    """Run makemessages over a copy of the project; the message keys it finds, by catalogue.

    The copy holds the project's sources and a copy of its catalogues, so the result is what
    `make messages` would write, while the real catalogues stay as they are.
    """
    project_dir = project_dir.resolve()
    originals = catalogue_paths([locale_dir])
    languages = sorted({path.parent.parent.name for path in originals})
    domains = sorted({path.stem for path in originals})
    if not languages:
        return {}
    with tempfile.TemporaryDirectory(prefix="checktranslations-") as temp:
        copy = Path(temp) / "project"
        shutil.copytree(project_dir, copy, ignore=_copy_ignore(project_dir), symlinks=True)
        temp_locale = copy / "locale"
        for path in originals:
            target = temp_locale / path.relative_to(locale_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        with override_settings(LOCALE_PATHS=[temp_locale]), _working_directory(copy):
            for domain in domains:
                call_command(
                    "makemessages",
                    locale=languages,
                    domain=domain,
                    no_obsolete=True,
                    no_location=True,
                    ignore_patterns=list(IGNORED_DIRS),
                    verbosity=0,
                )
        return {
            path: message_keys(temp_locale / path.relative_to(locale_dir))
            for path in originals
            if (temp_locale / path.relative_to(locale_dir)).exists()
        }


def check_extraction(
    project_dir: Path, locale_dirs: Iterable[Path | str]
) -> tuple[dict[Path, list[str]], dict[Path, list[str]]]:
    """Part (b): strings of the code missing from each catalogue, and entries no longer used."""
    missing: dict[Path, list[str]] = {}
    stale: dict[Path, list[str]] = {}
    for locale_dir in locale_dirs:
        extracted = extract_messages(project_dir, Path(locale_dir))
        for path, found in extracted.items():
            present = message_keys(path)
            new = sorted(found - present)
            old = sorted(present - found)
            if new:
                missing[path] = [_key_text(key) for key in new]
            if old:
                stale[path] = [_key_text(key) for key in old]
    return missing, stale


def _grouped(report: dict[Path, list[str]]) -> list[tuple[list[Path], list[str]]]:
    """Catalogues with the same list of strings together, so that a list is printed once."""
    groups: dict[tuple[str, ...], list[Path]] = {}
    for path, keys in report.items():
        groups.setdefault(tuple(keys), []).append(path)
    return [(paths, list(keys)) for keys, paths in groups.items()]


def _key_text(key: MessageKey) -> str:
    context, msgid, plural = key
    text = repr(msgid) + (f" / {plural!r}" if plural else "")
    return f"[{context}] {text}" if context else text


class Command(BaseCommand):
    help = (
        "Fail when a translation catalogue is incomplete or malformed, or when a string of the "
        "code or templates is missing from the catalogues (the latter needs GNU gettext)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-extraction",
            action="store_true",
            help="Only check the catalogues; do not look for strings missing from them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dirs = [Path(path) for path in settings.LOCALE_PATHS]
        base_dir = Path(settings.BASE_DIR)
        lines: list[str] = []

        for path, problems in check_catalogues(locale_dirs).items():
            lines.append(f"{self._relative(path, base_dir)}:")
            lines.extend(f"  {problem}" for problem in problems)

        if options["skip_extraction"]:
            pass
        elif not gettext_available():
            self.stderr.write(
                self.style.WARNING(
                    "GNU gettext (xgettext, msgmerge) is not installed: "
                    "strings missing from the catalogues are not looked for."
                )
            )
        else:
            missing, stale = check_extraction(base_dir, locale_dirs)
            for paths, keys in _grouped(missing):
                lines.append(
                    f"{self._relative_list(paths, base_dir)}: {len(keys)} string(s) of the code "
                    "missing (run `make messages` and translate them):"
                )
                lines.extend(f"  {key}" for key in keys)
            for paths, keys in _grouped(stale):
                self.stderr.write(
                    self.style.WARNING(
                        f"{self._relative_list(paths, base_dir)}: {len(keys)} entr(y/ies) no "
                        "longer used by the code (`make messages` removes them)."
                    )
                )

        if lines:
            raise CommandError("The translations are not complete:\n" + "\n".join(lines))
        count = len(catalogue_paths(locale_dirs))
        self.stdout.write(self.style.SUCCESS(f"{count} catalogue(s) complete and up to date."))

    @classmethod
    def _relative_list(cls, paths: list[Path], base_dir: Path) -> str:
        return ", ".join(cls._relative(path, base_dir) for path in paths)

    @staticmethod
    def _relative(path: Path, base_dir: Path) -> str:
        try:
            return str(path.resolve().relative_to(base_dir.resolve()))
        except ValueError:
            return str(path)
