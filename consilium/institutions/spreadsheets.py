"""Import and export of the directory as CSV and XLSX, with the same columns both ways.

An import is all or nothing: every row is validated by the same service that the forms use,
inside one transaction; if any row is bad, the transaction is rolled back and every bad row is
reported with its line number and the reasons.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from consilium.accounts.models import User
from consilium.core.models import Job
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


def _read_csv(raw: bytes) -> Generator[tuple[int, list[str]]]:
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


def _read_xlsx(raw: bytes) -> Generator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("The XLSX file cannot be opened.")) from exc
    try:  # read_only: rows are parsed as they are asked for, and read_rows stops asking
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if cell is None else str(cell) for cell in row]
    finally:
        book.close()


def read_rows(
    upload: IO[bytes], filename: str, *, limit: int | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's data rows, header checked. Empty rows are skipped but count against
    ``limit`` (``IMPORT_MAX_ROWS``): reading stops, with ImportFileError, at the first row past
    it, so a sheet of a million empty rows costs no more than one of ``limit`` rows."""
    limit = settings.IMPORT_MAX_ROWS if limit is None else limit
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
        rows: Generator[tuple[int, list[str]]] = _read_xlsx(raw)
    elif name.endswith(".csv"):
        if b"\x00" in raw[:4096]:
            raise ImportFileError(_("This file is not a CSV text file."))
        rows = _read_csv(raw)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    header: list[str] | None = None
    seen = 0
    try:
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
            seen += 1
            if seen > limit:
                raise ImportFileError(too_many_rows(limit))
            if not any(cell.strip() for cell in cells):
                continue
            yield (
                line,
                {key: (cells[i] if i < len(cells) else "") for i, key in enumerate(header) if key},
            )
    finally:
        rows.close()  # the workbook too
    if header is None:
        raise ImportFileError(_("The file is empty."))


def too_many_rows(limit: int) -> str:
    return ngettext(
        "A file may hold at most %(rows)s row (empty rows count too).",
        "A file may hold at most %(rows)s rows (empty rows count too).",
        limit,
    ) % {"rows": limit}


Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500
BATCH = 1000


@dataclass
class _Planned:
    line: int
    institution: Institution
    parent_row: int | None = None  # the index, among the planned rows, of its parent


def _plan(
    rows: list[tuple[int, dict[str, str]]], report: ImportReport, progress: Progress | None
) -> list[_Planned]:
    """Check every row without writing: the checks of ``services.institution_create`` against
    the directory as it is plus the rows above in the same file. Bad rows go to ``report``."""
    existing = {
        (country, key): pk
        for pk, country, key in Institution.objects.values_list("pk", "country", "name_key")
    }
    taken = set(existing)
    in_file: dict[tuple[str, str], int] = {}
    planned: list[_Planned] = []
    total = len(rows)
    for number, (line, row) in enumerate(rows, start=1):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, total)
        data: dict[str, Any] = {k: v for k, v in row.items() if k != "parent"}
        data["country"] = (data.get("country") or "").strip().upper()
        data["kind"] = (data.get("kind") or "").strip().lower()
        data["aliases"] = (data.get("aliases") or "").replace(";", "\n")
        institution = Institution()
        services._assign(institution, data)
        services._refresh_keys(institution)
        errors: dict[str, list[str]] = {}
        if not institution.english_name.strip():
            errors["name_en"] = [_("Give the name in English.")]
        try:
            institution.full_clean(
                exclude=["name_key", "search_text", "parent"], validate_unique=False
            )
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
        key = (institution.country, institution.name_key)
        if not errors.get("name_en") and key in taken:
            errors.setdefault("name_en", []).append(
                _("%(name)s is already in the directory for this country.")
                % {"name": institution.english_name}
            )
        problems = [f"{name}: {msg}" for name, msgs in errors.items() for msg in msgs]
        parent_name = (row.get("parent") or "").strip()
        parent_row = None
        if parent_name:
            parent_key = (institution.country, search_key(parent_name)[:300])
            if parent_key in in_file:
                parent_row = in_file[parent_key]
            elif parent_key in existing:
                institution.parent_id = existing[parent_key]
            else:
                problems.append(
                    _("parent: no institution named “%(name)s” in this country.")
                    % {"name": parent_name}
                )
        if problems:
            report.errors.append(RowError(line=line, messages=problems))
            continue
        taken.add(key)
        in_file[key] = len(planned)
        planned.append(_Planned(line=line, institution=institution, parent_row=parent_row))
    if progress is not None:
        progress(total, total)
    return planned


def _write(planned: list[_Planned], by: User | None) -> None:
    """Insert the planned rows with their history and search words, parents before their
    branches: one bulk insert per generation (a branch names a row above it)."""
    remaining = list(range(len(planned)))
    saved: list[Institution] = []
    while remaining:
        ready = []
        for i in remaining:
            parent_row = planned[i].parent_row
            if parent_row is None:
                ready.append(i)
            elif planned[parent_row].institution.pk is not None:
                planned[i].institution.parent_id = planned[parent_row].institution.pk
                ready.append(i)
        batch = [planned[i].institution for i in ready]
        # SQLite (3.35+) and PostgreSQL both return the new ids of a bulk insert.
        bulk_create_with_history(batch, Institution, batch_size=BATCH, default_user=by)
        saved += batch
        done = set(ready)
        remaining = [i for i in remaining if i not in done]
    for start in range(0, len(saved), BATCH):
        services.institution_search_rebuild(saved[start : start + BATCH])


def import_institutions(
    *,
    upload: IO[bytes],
    filename: str,
    by: User | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every row or none; ImportFileError when the file itself is unusable.

    Every row is checked first, without writing (``progress(done, total)`` is called as it
    goes, outside any transaction, so that a progress bar elsewhere can read it), and every bad
    row is reported; only when all are good are they written, in one transaction.
    """
    report = ImportReport()
    rows = list(read_rows(upload, filename))
    planned = _plan(rows, report, progress)
    if report.errors:
        return report
    with transaction.atomic():
        _write(planned, by)
    report.created = len(planned)
    return report


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


# --- large files: imported by the task worker, with a progress bar (core/jobs.py) ----------

JOB_KIND = "institutions.import"


def sync_max_bytes() -> int:
    """Files up to this size (64 KB, some 500 rows: a second or two) are imported within the
    request; larger ones by the task worker. The ``IMPORT_SYNC_MAX_BYTES`` setting changes it."""
    return int(getattr(settings, "IMPORT_SYNC_MAX_BYTES", 64 * 1024))


def run_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side of a large import: the result the job page shows."""
    try:
        report = import_institutions(
            upload=io.BytesIO(bytes(job.payload)),
            filename=job.filename,
            by=job.user,
            progress=progress,
        )
    except ImportFileError as exc:
        return {"created": 0, "errors": [], "file_error": str(exc)}
    return {
        "created": report.created,
        "errors": [{"line": e.line, "messages": e.messages} for e in report.errors],
    }
