"""Background tasks of the course bank: keeping the statistics totals up to date.

Whatever changes a count (an enrolment, a completion, a certificate) calls ``record_change``,
which enqueues ``refresh_course_year`` after the change commits; ``python -m consilium
course_stats`` (daily, cron or a systemd timer) closes the past visit days and rebuilds every
total. The statistics service knows nothing of this module: the dependency runs one way,
tasks to services.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from consilium.courses.services import stats


@task()
def refresh_course_year(*, course_id: int, year: int) -> None:
    """Recompute one course's totals for one year, then its institution's and the network's."""
    stats.course_year_refresh(course_id=course_id, year=year)


def record_change(*, course_id: int, year: int) -> None:
    """Something counted for ``course_id`` in ``year`` changed (an enrolment, a completion, a
    certificate): refresh its totals after the transaction commits."""
    transaction.on_commit(lambda: refresh_course_year.enqueue(course_id=course_id, year=year))
