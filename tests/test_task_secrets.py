"""No secret in the task table: every background task carries ids (and other plain values),
never a token or a link with one in it. The link of an invitation or a password reset is made
when the mail is sent (docs/security.md, "Secrets").

Two checks: every task of every app takes only id-like parameters (a new task with a
``url`` or ``token`` parameter fails here), and the flows that queue mails, run with the
database backend that production uses, leave no token-like string in ``django_tasks``'s
table.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re

import pytest
from django.apps import apps
from django.core import mail
from django_tasks.base import Task

from consilium.accounts.services import password_reset_request
from consilium.core.roles import Role
from consilium.institutions import services as directory
from consilium.institutions.models import Invitation
from consilium.institutions.testing import InstitutionFactory, member

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
# Parameters whose values are plain data, not secrets: ids, a year, and the generic mail
# task's already-rendered text (checked for tokens by the flows below).
PLAIN = re.compile(r"^(\w+_id|year|subject|body|to)$")
# A bearer token as the app makes them (secrets.token_urlsafe, Django's reset tokens), or a
# link to a page that takes one.
TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{32,}|/invitations?/|/reset/|token", re.IGNORECASE)


def all_tasks() -> list[Task]:  # type: ignore[type-arg]
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("consilium."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        found += [value for value in vars(module).values() if isinstance(value, Task)]
    return found


def test_every_task_takes_ids_only() -> None:
    tasks = all_tasks()
    assert len(tasks) >= 6
    for task in tasks:
        for name in inspect.signature(task.func).parameters:
            assert PLAIN.match(name), f"{task.module_path} takes {name!r}: pass an id instead"


@pytest.mark.django_db
def test_queued_mails_hold_no_token(settings, django_capture_on_commit_callbacks) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_BACKEND
    institution = InstitutionFactory()
    admin = member(Role.INSTITUTION_ADMIN, institution)
    person = member(Role.LEARNER, institution)
    with django_capture_on_commit_callbacks(execute=True):
        sent = directory.invitation_create(
            institution=institution,
            email="new.admin@example.org",
            role=Role.INSTITUTION_ADMIN,
            invited_by=admin,
        )
        password_reset_request(email=person.email, client="192.0.2.1")
    rows = list(DBTaskResult.objects.all())
    assert {row.task_path.rsplit(".", 1)[-1] for row in rows} >= {
        "send_invitation",
        "send_password_reset",
    }
    raw = sent.url.rstrip("/").rsplit("/", 1)[-1]
    for row in rows:
        stored = json.dumps(row.args_kwargs)
        assert raw not in stored
        assert not TOKEN_LIKE.search(stored), f"{row.task_path} holds {stored}"
    # The invitation's token is kept only sealed (and not in clear) until the mail goes.
    invitation = Invitation.objects.get(pk=sent.invitation.pk)
    assert raw.encode() not in bytes(invitation.token_sealed)
    assert bytes(invitation.token_sealed)


@pytest.mark.django_db
def test_the_invitation_mail_is_made_when_sent(django_capture_on_commit_callbacks) -> None:
    from consilium.institutions.tasks import send_invitation

    institution = InstitutionFactory()
    admin = member(Role.INSTITUTION_ADMIN, institution)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend: sent now
        sent = directory.invitation_create(
            institution=institution, email="x@example.org", role=Role.TEACHER, invited_by=admin
        )
    (message,) = mail.outbox
    assert sent.url in message.body
    assert bytes(Invitation.objects.get(pk=sent.invitation.pk).token_sealed) == b""
    # Sent once: a second run (a retry) has nothing to send.
    assert send_invitation.call(invitation_id=sent.invitation.pk) == 0
    assert len(mail.outbox) == 1
