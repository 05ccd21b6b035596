"""Enqueue the daily reminders about agreements and recommendations."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from consilium.partnerships.tasks import (
    send_agreement_reminders,
    send_overdue_recommendation_reminders,
)

TASKS = (send_agreement_reminders, send_overdue_recommendation_reminders)


class Command(BaseCommand):
    help = (
        "Enqueue the reminder tasks: coordinators are told (in the app and by e-mail) when an "
        "agreement in force ends within 90 and within 30 days, and owners (else the parties' "
        "coordinators) when a recommendation is overdue. The database worker "
        "(`python -m consilium db_worker`) runs them. Run this once a day with the site's "
        "environment (CONSILIUM_ENV=production, SECRET_KEY, DATABASE_URL...), e.g. from cron: "
        "`15 6 * * * cd /srv/consilium && .venv/bin/python -m consilium send_reminders`, or "
        "from a systemd timer (OnCalendar=*-*-* 06:15:00, Persistent=true) that starts a "
        "Type=oneshot service running the same command. Running it more often, or twice at "
        "once, is safe: each reminder is sent once. --now runs the tasks in this process "
        "instead of enqueuing them (no worker needed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Run the reminder tasks in this process instead of enqueuing them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for reminder_task in TASKS:
            name = reminder_task.name
            if options["now"]:
                sent = reminder_task.call()
                self.stdout.write(f"{name}: {sent} reminder(s) sent")
            else:
                result = reminder_task.enqueue()
                self.stdout.write(f"{name}: enqueued as {result.id}")
