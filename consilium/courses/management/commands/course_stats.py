"""Close the past visit days and rebuild the course-bank statistics."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from consilium.courses.services import stats


class Command(BaseCommand):
    help = (
        "Course-bank statistics, once a day after midnight: count the distinct visitors of "
        "yesterday (and of any earlier day left open) into the yearly totals and delete their "
        "visit marks, then rebuild every total from the enrolments and certificates. Run it "
        "with the site's environment, e.g. from cron: "
        "`5 0 * * * cd /srv/consilium && .venv/bin/python -m consilium course_stats`. "
        "Running it twice is safe: the second run finds no marks to count."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        yesterday = timezone.localdate() - timedelta(days=1)
        visitors = stats.visit_day_close(yesterday)
        stats.stats_rebuild_all()
        self.stdout.write(f"visitors counted up to {yesterday.isoformat()}: {visitors}")
        self.stdout.write("totals rebuilt")
