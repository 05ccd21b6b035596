"""Background work of certificates: issuing one when a learner completes a course."""

from __future__ import annotations

from django_tasks import task


@task()
def issue_for_enrolment(enrolment_id: int) -> str:
    """Issue (once) the certificate of a completed enrolment, with its PDF; returns its code."""
    from consilium.certificates.services import certificate_issue, certificate_pdf
    from consilium.courses.models import Enrolment

    enrolment = Enrolment.objects.get(pk=enrolment_id)
    certificate = certificate_issue(enrolment=enrolment)
    certificate_pdf(certificate=certificate)
    return certificate.code
