"""Background tasks of the course bank: keeping the statistics totals up to date.

``services.stats.record_change`` enqueues ``refresh_course_year`` after the change commits;
``python -m consilium course_stats`` (daily, cron or a systemd timer) closes the past visit
days and rebuilds every total.
"""

from __future__ import annotations

from django_tasks import task

from consilium.courses.services import stats


@task()
def refresh_course_year(*, course_id: int, year: int) -> None:
    """Recompute one course's totals for one year, then its institution's and the network's."""
    stats.refresh_course_year(course_id=course_id, year=year)
