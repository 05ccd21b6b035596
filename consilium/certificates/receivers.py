"""Certificates listen to the course bank (``courses/signals.py``), connected in
``CertificatesConfig.ready``: the course bank never imports this app."""

from __future__ import annotations

from typing import Any

from consilium.certificates import selectors, tasks
from consilium.courses import signals


def issue_on_completion(sender: Any, *, enrolment_id: int, **kwargs: Any) -> None:
    """A course was completed (and committed): queue its certificate, issued once."""
    tasks.issue_for_enrolment.enqueue(enrolment_id=enrolment_id)


def count_certificates(sender: Any, *, course_id: int, year: int, **kwargs: Any) -> int:
    """The statistics ask how many certificates of ``course_id`` were issued in ``year``."""
    return selectors.certificate_counts_per_course_year(course_id, year)


def connect() -> None:
    signals.course_completed.connect(
        issue_on_completion, dispatch_uid="credentials.issue_on_completion"
    )
    signals.count_certificates.connect(
        count_certificates, dispatch_uid="credentials.count_certificates"
    )
