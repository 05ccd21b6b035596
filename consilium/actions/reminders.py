"""Reminders sent once each: the ledger every app's reminder tasks claim their keys in, and
the tasks the daily ``send_reminders`` command runs.

A task claims ``claim(key)`` (a unique row in ``Reminder``) in the same transaction as it
tells anyone, so that running the tasks again, or twice at the same time, never sends a
reminder twice. This app's own task reminds about actions (``tasks.py``); an app with its own
reminders registers its task from ``AppConfig.ready()``: ``register_reminder_task(task)``
(partnerships: agreements that end soon).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from consilium.actions.models import Reminder

_TASKS: dict[str, Any] = {}


def claim(key: str) -> bool:
    """Record that the reminder ``key`` is sent; False if it already was (or is being) sent."""
    try:
        with transaction.atomic():
            Reminder.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def register_reminder_task(task: Any) -> None:
    """A django-tasks task (returning how many reminders it sent) for ``send_reminders``."""
    _TASKS[task.name] = task


def reminder_tasks() -> list[Any]:
    return [_TASKS[name] for name in sorted(_TASKS)]
