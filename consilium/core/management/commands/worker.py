"""``python -m consilium worker``: the task worker that survives a database outage.

It is django-tasks-db's ``db_worker`` (same options), except that a dropped or refused
database connection no longer ends it: the worker closes its connections, waits (1, 2, 4 … up
to 30 seconds) and takes up the queue again when the database answers. ``db_worker`` itself
exits for good at the first dropped connection, which under systemd's restart limits or
without a supervisor left queued certificates and e-mails waiting until someone noticed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("consilium.worker")

FIRST_DELAY = 1.0
LONGEST_DELAY = 30.0


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            try:
                super().run()
                return  # stopped (a signal), or --batch / --max-tasks are done
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    return
                if time.monotonic() - started > 2 * LONGEST_DELAY:
                    delay = FIRST_DELAY  # it had been working: a new outage starts short
                logger.warning(
                    "The database is unavailable (%s); the worker retries in %.0f s.",
                    str(error).strip().splitlines()[0] if str(error).strip() else error,
                    delay,
                )
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, LONGEST_DELAY)
                self.startup_delay = False


class Command(db_worker.Command):
    help = "Run the background task worker; it waits out database outages instead of exiting."

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
