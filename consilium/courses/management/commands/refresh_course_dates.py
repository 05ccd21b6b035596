"""Daily: recompute each course's next start as runs end (the catalog sorts and filters on it)."""

from typing import Any

from django.core.management.base import BaseCommand

from consilium.courses.services.authoring import course_next_start_refresh


class Command(BaseCommand):
    help = "Recompute every course's next start date from its runs that have not ended."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = course_next_start_refresh()
        self.stdout.write(f"{changed} course(s) updated.")
