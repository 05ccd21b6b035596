"""CSV and XLSX of a filtered agreements list, with the same columns."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from consilium.core.tabular import csv_stream, xlsx_bytes
from consilium.partnerships.models import Agreement


def rows(agreements: Iterable[Agreement]) -> Iterator[list[Any]]:
    yield [
        _("Number"),
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Parties"),
        _("Countries"),
        _("Forms of cooperation"),
        _("Programme"),
        _("Phase"),
        _("Signed on"),
        _("In effect from"),
        _("In effect until"),
    ]
    for a in agreements:
        parties = list(a.parties.all())
        yield [
            a.number,
            a.title,
            a.kind_label,
            a.status_label,
            "; ".join(str(p.institution) for p in parties),
            ", ".join(sorted({p.institution.country for p in parties})),
            "; ".join(f.form_label for f in a.forms.all()),
            str(a.programme) if a.programme else "",
            str(a.phase) if a.phase else "",
            a.signed_on.isoformat() if a.signed_on else "",
            a.valid_from.isoformat() if a.valid_from else "",
            a.valid_until.isoformat() if a.valid_until else "",
        ]


def _chunked(agreements: QuerySet[Agreement]) -> Iterable[Agreement]:
    # iterator() with a chunk size keeps memory flat and still runs the prefetches per chunk.
    return agreements.iterator(chunk_size=1000)


def agreements_csv(agreements: QuerySet[Agreement]) -> Iterator[str]:
    return csv_stream(rows(_chunked(agreements)))


def agreements_xlsx(agreements: QuerySet[Agreement]) -> bytes:
    return xlsx_bytes(rows(_chunked(agreements)), _("Agreements"))
