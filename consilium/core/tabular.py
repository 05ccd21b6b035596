"""CSV and XLSX output shared by every export: streamed CSV, inert cells."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any


def inert(value: Any) -> str:
    """A cell as text that spreadsheet programs will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark, so that Excel reads Cyrillic correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([inert(value) for value in row])


def xlsx_bytes(rows: Iterable[list[Any]], sheet_title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    for row in rows:
        sheet.append([inert(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
