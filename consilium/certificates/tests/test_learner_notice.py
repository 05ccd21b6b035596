"""A learner finds each completed course's certificate in "My learning" (through the course
bank's ``certificate_links`` signal: the course bank never imports certificates), is told
while it is being issued, and gets an e-mail in their language once it is ready."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from consilium.accounts.testing import UserFactory
from consilium.certificates.models import Certificate

from .factories import completed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language_after() -> Any:
    """Pages asked for in Kazakh or Russian leave that language active in this thread; the
    tests after these ones expect the site's."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_my_learning_says_issuing_then_links_and_the_learner_gets_an_e_mail(
    client, django_capture_on_commit_callbacks
) -> None:
    from consilium.certificates.tasks import issue_for_enrolment

    learner = UserFactory(language="ru")
    enrolment = completed(learner=learner)
    client.force_login(learner)
    page = client.get("/courses/my/").content.decode()
    assert "/certificates/c/" not in page
    assert "bi-hourglass-split" in page  # "being issued" while the task has not run
    with django_capture_on_commit_callbacks(execute=True):
        code = issue_for_enrolment.call(enrolment_id=enrolment.pk)
    page = client.get("/courses/my/").content.decode()
    assert f"/certificates/c/{code}/" in page
    assert "bi-hourglass-split" not in page
    sent = [m for m in mail.outbox if learner.email in m.to]
    assert len(sent) == 1
    assert "сертификат" in f"{sent[0].subject} {sent[0].body}".lower()
    assert f"/certificates/c/{code}/" in sent[0].body
    # Issued again (a task run twice): no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        issue_for_enrolment.call(enrolment_id=enrolment.pk)
    assert len([m for m in mail.outbox if learner.email in m.to]) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
