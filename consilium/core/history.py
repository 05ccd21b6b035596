"""Readable history: simple_history's changes with field names and values as people read them."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def _display(field: models.Field[Any, Any] | None, value: Any) -> Any:
    if field is None or value in (None, ""):
        return value
    choices = dict(field.flatchoices) if field.choices else None
    if choices is not None:
        return choices.get(value, value)
    if isinstance(field, models.BooleanField):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    return value


def readable_history(records: list[Any], model: type[models.Model]) -> list[dict[str, Any]]:
    """[{record, changes: [{field, old, new}]}] newest first, with labels instead of names."""
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                try:
                    found = model._meta.get_field(change.field)
                except FieldDoesNotExist:
                    found = None
                # History diffs name concrete columns; anything else reads as its bare name.
                field = found if isinstance(found, models.Field) else None
                label = str(field.verbose_name) if field is not None else change.field
                if field is None and "_" in change.field:  # a per-language column: name_kk
                    base, _sep, lang = change.field.rpartition("_")
                    with contextlib.suppress(FieldDoesNotExist):
                        base_field = model._meta.get_field(base)
                        label = f"{getattr(base_field, 'verbose_name', base)} ({lang})"
                changes.append(
                    {
                        "field": label,
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        entries.append({"record": newer, "changes": changes})
    return entries
