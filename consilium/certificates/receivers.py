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


def certificate_links(sender: Any, *, enrolment_ids: list[int], **kwargs: Any) -> dict[int, str]:
    """ "My learning" asks for the certificates of these enrolments: the current one's public
    page for each that has one (a missing one is still being issued)."""
    from django.urls import reverse

    from consilium.certificates.models import Certificate

    rows = Certificate.objects.filter(
        enrolment_id__in=enrolment_ids, superseded_by__isnull=True
    ).values_list("enrolment_id", "code")
    return {pk: reverse("certificates:public", args=[code]) for pk, code in rows}


def connect() -> None:
    signals.course_completed.connect(
        issue_on_completion, dispatch_uid="credentials.issue_on_completion"
    )
    signals.count_certificates.connect(
        count_certificates, dispatch_uid="credentials.count_certificates"
    )
    signals.certificate_links.connect(
        certificate_links, dispatch_uid="credentials.certificate_links"
    )
