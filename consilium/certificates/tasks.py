"""Background work of certificates: issuing one when a learner completes a course."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task


@task()
def issue_for_enrolment(enrolment_id: int) -> str:
    """Issue (once) the certificate of a completed enrolment, with its PDF; returns its code.
    The learner is told (a notification and an e-mail, in their language) the first time."""
    from consilium.certificates.models import Certificate
    from consilium.certificates.services import certificate_issue, certificate_pdf
    from consilium.courses.models import Enrolment

    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment_id)
    known = Certificate.objects.filter(enrolment=enrolment, superseded_by__isnull=True).exists()
    certificate = certificate_issue(enrolment=enrolment)
    certificate_pdf(certificate=certificate)
    if not known:
        _tell_learner(enrolment.learner, certificate)
    return certificate.code


def _ready_message(title: str) -> str:
    return _("Your certificate for “%(title)s” is ready: open it to download or share it.") % {
        "title": title
    }


def _tell_learner(learner: Any, certificate: Any) -> None:
    from consilium.notifications.services import notification_send

    notification_send(
        users=[learner],
        message=partial(_ready_message, certificate.course_title),
        url=reverse("certificates:public", args=[certificate.code]),
        subject=gettext_lazy("Your certificate is ready"),
    )
