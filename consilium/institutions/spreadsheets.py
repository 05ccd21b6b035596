"""Import and export of the directory as CSV and XLSX, with the same columns both ways.

An import is all or nothing: every row is validated by the same service that the forms use,
inside one transaction; if any row is bad, the transaction is rolled back and every bad row is
reported with its line number and the reasons.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consilium.accounts.models import User
from consilium.core.tabular import csv_stream, xlsx_bytes
from consilium.core.text import search_key
from consilium.institutions import services
from consilium.institutions.models import Institution

LANGS = services.LANGS
COLUMNS = (
    [f"name_{lang}" for lang in LANGS]
    + [f"short_name_{lang}" for lang in LANGS]
    + ["kind", "country"]
    + [f"city_{lang}" for lang in LANGS]
    + ["website", "parent", "aliases"]
)
REQUIRED_COLUMNS = {"name_en", "kind", "country"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, too big, no header)."""


@dataclass
class RowError:
    line: int
    messages: list[str]


@dataclass
class ImportReport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_csv(raw: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The CSV file must be saved in UTF-8.")) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file cannot be read near line %(line)s.") % {"line": reader.line_num}
        ) from exc


def _read_xlsx(raw: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("The XLSX file cannot be opened.")) from exc
    sheet = book.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if cell is None else str(cell) for cell in row]
    book.close()


def read_rows(upload: IO[bytes], filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    raw = upload.read(settings.IMPORT_MAX_BYTES + 1)
    if len(raw) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.")
            % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not raw.startswith(b"PK"):
            raise ImportFileError(_("This file is not an XLSX workbook."))
        rows = _read_xlsx(raw)
    elif name.endswith(".csv"):
        if b"\x00" in raw[:4096]:
            raise ImportFileError(_("This file is not a CSV text file."))
        rows = _read_csv(raw)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    header: list[str] | None = None
    for line, cells in rows:
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            missing = REQUIRED_COLUMNS - set(header)
            if missing:
                raise ImportFileError(
                    _("The first row must name the columns; missing: %(columns)s.")
                    % {"columns": ", ".join(sorted(missing))}
                )
            unknown = [h for h in header if h and h not in COLUMNS]
            if unknown:
                raise ImportFileError(
                    _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
                )
            continue
        if not any(cell.strip() for cell in cells):
            continue
        yield (
            line,
            {key: (cells[i] if i < len(cells) else "") for i, key in enumerate(header) if key},
        )
    if header is None:
        raise ImportFileError(_("The file is empty."))


def _parent(name: str, country: str) -> Institution | None:
    key = search_key(name)
    return Institution.objects.filter(country=country.upper(), name_key=key).first()


def import_institutions(*, upload: IO[bytes], filename: str, by: User) -> ImportReport:
    """Import every row or none; ImportFileError when the file itself is unusable."""
    report = ImportReport()
    with transaction.atomic():
        for line, row in read_rows(upload, filename):
            if report.created + len(report.errors) >= settings.IMPORT_MAX_ROWS:
                raise ImportFileError(
                    ngettext(
                        "A file may hold at most %(rows)s row.",
                        "A file may hold at most %(rows)s rows.",
                        settings.IMPORT_MAX_ROWS,
                    )
                    % {"rows": settings.IMPORT_MAX_ROWS}
                )
            data: dict[str, Any] = {k: v for k, v in row.items() if k != "parent"}
            data["country"] = (data.get("country") or "").strip().upper()
            data["kind"] = (data.get("kind") or "").strip().lower()
            data["aliases"] = (data.get("aliases") or "").replace(";", "\n")
            parent_name = (row.get("parent") or "").strip()
            problems: list[str] = []
            if parent_name:
                parent = _parent(parent_name, data["country"])
                if parent is None:
                    problems.append(
                        _("parent: no institution named “%(name)s” in this country.")
                        % {"name": parent_name}
                    )
                data["parent"] = parent
            if not problems:
                try:
                    services.institution_create(data=data, by=by)
                except ValidationError as exc:
                    problems = _messages(exc)
            if problems:
                report.errors.append(RowError(line=line, messages=problems))
            else:
                report.created += 1
        if report.errors:
            transaction.set_rollback(True)
            report.created = 0
    return report


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{name}: {msg}" for name, msgs in exc.message_dict.items() for msg in msgs]
    return list(exc.messages)


def export_rows(institutions: Iterable[Institution]) -> Iterator[list[str]]:
    yield COLUMNS
    for item in institutions:
        row = []
        for column in COLUMNS:
            if column == "parent":
                row.append(item.parent.english_name if item.parent else "")
            elif column == "aliases":
                row.append("; ".join((item.aliases or "").splitlines()))
            else:
                row.append(getattr(item, column) or "")
        yield row


def export_csv(institutions: Iterable[Institution]) -> Iterator[str]:
    return csv_stream(export_rows(institutions))


def export_xlsx(institutions: Iterable[Institution]) -> bytes:
    return xlsx_bytes(export_rows(institutions), _("Institutions"))
