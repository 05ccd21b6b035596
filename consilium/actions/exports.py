"""CSV and XLSX of a filtered actions list, with the same columns (``core/tabular.py``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from consilium.actions.models import Action
from consilium.core.tabular import csv_stream, xlsx_bytes


def rows(actions: Iterable[Action]) -> Iterator[list[Any]]:
    yield [
        _("Number"),
        _("Kind"),
        _("Title"),
        _("Owner institution"),
        _("Responsible person"),
        _("Decided on"),
        _("Due on"),
        _("Status"),
        _("Overdue"),
        _("Done on"),
        _("Evidence"),
        _("Effectiveness"),
        _("Origin"),
    ]
    for a in actions:
        yield [
            a.pk,
            a.kind_label,
            a.title,
            str(a.institution),
            str(a.responsible) if a.responsible else "",
            a.opened_on.isoformat(),
            a.due_on.isoformat() if a.due_on else "",
            a.status_label,
            _("yes") if a.is_overdue else "",
            a.done_on.isoformat() if a.done_on else "",
            a.evidence,
            a.check_result_label,
            f"{a.origin_type.model}:{a.origin_id}" if a.origin_type else "",
        ]


def actions_csv(actions: QuerySet[Action]) -> Iterator[str]:
    return csv_stream(rows(actions.iterator(chunk_size=1000)))


def actions_xlsx(actions: QuerySet[Action]) -> bytes:
    return xlsx_bytes(rows(actions.iterator(chunk_size=1000)), _("Actions"))
