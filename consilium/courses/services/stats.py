"""Statistics of the course bank: visit marks and yearly totals (kept by tasks.py)."""

from __future__ import annotations


def record_change(*, course_id: int, year: int) -> None:
    """Something counted for ``course_id`` in ``year`` changed (an enrolment, a completion, a
    certificate): refresh its totals after the transaction commits."""
