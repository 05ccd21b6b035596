"""A create that happens once however often it is sent (a double click, a retried request).

A form carries a one-time key in a hidden field (``new_key()`` when the empty form is shown);
an API client may send an ``Idempotency-Key`` header. The create runs through ``once``::

    agreement_id, created = once(
        scope="partnerships.agreement", user=user, key=key,
        create=lambda: services.agreement_create(...).pk,
    )

The key row (unique per scope, person and key) is written in the same transaction as the
object: the first request makes both; a second one with the same key, even at the same
moment, waits for the first (the unique index) and gets its object's id with
``created=False``. A create that fails writes no key, so the same form can be sent again.
Without a key (``""``), ``create`` simply runs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from consilium.core.models import IdempotencyKey

_FORMAT = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


def new_key() -> str:
    return uuid.uuid4().hex


def valid_key(key: str | None) -> str:
    """The key if it is usable (8 to 100 letters, digits, ``_.:-``), else ``""``."""
    key = (key or "").strip()
    return key if _FORMAT.match(key) else ""


def once(*, scope: str, user: Any, key: str, create: Callable[[], int]) -> tuple[int, bool]:
    """Run ``create`` (which returns the new object's id) once per (scope, user, key)."""
    if not key:
        return create(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(scope=scope, user=user, key=key)
        except IntegrityError:
            earlier = IdempotencyKey.objects.get(scope=scope, user=user, key=key)
            if earlier.object_id is None:  # pragma: no cover - written in the same transaction
                raise
            return earlier.object_id, False
        object_id = create()
        row.object_id = object_id
        row.save(update_fields=["object_id"])
    return object_id, True
