"""Enqueue the daily reminders: about actions, and those other apps register."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from consilium.actions.reminders import reminder_tasks


class Command(BaseCommand):
    help = (
        "Enqueue the reminder tasks: people responsible for an action are told (in the app "
        "and by e-mail, in their language) a week before it is due and once it is overdue "
        "(else the owner institution's coordinators); partnership coordinators when an "
        "agreement in force ends within 90 and within 30 days. The database worker "
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
        for reminder_task in reminder_tasks():
            name = reminder_task.name
            if options["now"]:
                sent = reminder_task.call()
                self.stdout.write(f"{name}: {sent} reminder(s) sent")
            else:
                result = reminder_task.enqueue()
                self.stdout.write(f"{name}: enqueued as {result.id}")
