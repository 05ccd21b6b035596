"""Statistics of the course bank: visit marks and yearly totals (kept by tasks.py)."""

from __future__ import annotations


def record_change(*, course_id: int, year: int) -> None:
    """Something counted for ``course_id`` in ``year`` changed (an enrolment, a completion, a
    certificate): refresh its totals after the transaction commits."""


def mark_visit(*, course_id: int, request: object) -> None:
    """Count today's visit of this (unknown) visitor to the course page, without storing who:
    a salted daily hash (see models.VisitMark). Cheap on repeat visits."""
