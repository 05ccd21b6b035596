"""Password reset: requests throttled per e-mail and per client address, one neutral answer,
the mail queued as a task that carries the person's id only."""

from __future__ import annotations

import json
import re
import smtplib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from consilium.accounts import tasks
from consilium.accounts.models import User
from consilium.accounts.testing import PASSWORD, UserFactory
from consilium.core.models import Throttle

pytestmark = pytest.mark.django_db
URL = "/accounts/password/reset/"
DONE = reverse("accounts:password_reset_done")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/(\S+)/(\S+)/)")


@pytest.fixture
def ask(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Post a reset request as a browser would, running what is queued after the commit."""

    def post(email: str, *, ip: str = "203.0.113.7", client: Client | None = None) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(URL, {"email": email}, REMOTE_ADDR=ip)

    return post


@pytest.fixture
def queued() -> Iterator[None]:
    """Tasks go to the database queue, as in production, instead of running at once."""
    with override_settings(TASKS=DATABASE_TASKS):
        yield


def run_queue() -> list[Any]:
    """Work the queue once, as ``python -m consilium worker`` does; the results, in order."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for row in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        worker.run_task(row)
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_the_mail_is_queued_with_the_persons_id_only_and_the_link_made_when_sent(
    ask: Callable[..., Any], queued: None
) -> None:
    from django_tasks_db.models import DBTaskResult

    user = UserFactory(email="forgetful@example.kz")
    response = ask("Forgetful@Example.kz")
    assert response.status_code == 302 and response["Location"] == DONE
    assert mail.outbox == []  # not sent during the request
    row = DBTaskResult.objects.get()
    assert row.task_path == "consilium.accounts.tasks.send_password_reset"
    assert row.args_kwargs == {"args": [], "kwargs": {"user_id": user.pk}}
    stored = json.dumps(row.args_kwargs)
    assert "forgetful" not in stored and "reset" not in stored

    [done] = run_queue()
    assert done.status == "SUCCESSFUL"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["forgetful@example.kz"]
    link = LINK.search(mail.outbox[0].body)
    assert link is not None
    # The token made at send time is nowhere in the task table.
    assert link.group(3) not in json.dumps(list(DBTaskResult.objects.values("args_kwargs")))
    page = Client().get(link.group(1), follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()


def test_a_failed_send_stays_recorded_in_the_task_table(
    ask: Callable[..., Any], queued: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    user = UserFactory(email="unlucky@example.kz")
    ask("unlucky@example.kz")
    [failed] = run_queue()
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "smtplib.SMTPServerDisconnected"
    assert "the mail server went away" in failed.traceback
    assert failed.args_kwargs["kwargs"] == {"user_id": user.pk}  # enough to send it again
    assert mail.outbox == []


def test_requests_are_limited_per_e_mail_address(ask: Callable[..., Any], settings: Any) -> None:
    """Six requests used to send six mails synchronously."""
    UserFactory(email="target@example.kz")
    answers = [ask("target@example.kz", ip=f"198.51.100.{n}") for n in range(6)]
    assert len(mail.outbox) == settings.PASSWORD_RESET_RATE_LIMIT == 3
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, DONE)}


def test_requests_are_limited_per_client_address(ask: Callable[..., Any], settings: Any) -> None:
    settings.PASSWORD_RESET_RATE_LIMIT_PER_IP = 2
    for n in range(4):
        UserFactory(email=f"person{n}@example.kz")
    answers = [ask(f"person{n}@example.kz", ip="203.0.113.7") for n in range(3)]
    assert len(mail.outbox) == 2
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, DONE)}
    ask("person3@example.kz", ip="198.51.100.1")
    assert len(mail.outbox) == 3


def test_unknown_and_throttled_addresses_get_the_same_answer(
    ask: Callable[..., Any], settings: Any
) -> None:
    settings.PASSWORD_RESET_RATE_LIMIT = 1
    UserFactory(email="known@example.kz")
    known = ask("known@example.kz")
    unknown = ask("nobody@example.kz")
    throttled = ask("known@example.kz")
    assert len(mail.outbox) == 1
    for answer in (known, unknown, throttled):
        assert (answer.status_code, answer["Location"]) == (302, DONE)
    # Unknown addresses count too: asking cannot tell them apart by the limit either.
    assert ask("nobody@example.kz")["Location"] == DONE
    assert Throttle.objects.filter(key__startswith="reset:email:").count() == 2


def test_the_mail_is_in_the_persons_language_with_a_link_to_the_site(
    ask: Callable[..., Any], settings: Any
) -> None:
    settings.SITE_URL = "https://consilium.example.kz"
    UserFactory(email="kazakh@example.kz", language="kk")
    ask("kazakh@example.kz", client=Client(HTTP_ACCEPT_LANGUAGE="ru"))
    [message] = mail.outbox
    with translation.override("kk"):
        assert message.subject == gettext("Choose a new password for Consilium")
    assert message.subject != "Choose a new password for Consilium"
    assert LINK.search(message.body) is not None
    assert "https://consilium.example.kz/accounts/password/reset/" in message.body


def test_nobody_is_mailed_without_an_active_account_with_a_password(
    ask: Callable[..., Any],
) -> None:
    UserFactory(email="gone@example.kz", is_active=False)
    no_password = UserFactory(email="sso@example.kz")
    no_password.set_unusable_password()
    no_password.save()
    ask("gone@example.kz")
    ask("sso@example.kz")
    assert mail.outbox == []


def test_an_account_deactivated_before_the_send_gets_no_mail() -> None:
    user = UserFactory(email="left@example.kz")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert tasks.send_password_reset.call(user_id=user.pk) == 0
    assert tasks.send_password_reset.call(user_id=999_999) == 0
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["not-an-address", "", "a@b@c.kz", "x" * 300 + "@example.kz"])
def test_a_malformed_address_is_refused_and_counts_nothing(
    ask: Callable[..., Any], email: str
) -> None:
    response = ask(email)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Throttle.objects.exists()
    assert mail.outbox == []


def test_the_whole_way_round_signs_in_with_the_new_password(ask: Callable[..., Any]) -> None:
    UserFactory(email="round@example.kz")
    ask("round@example.kz")
    link = LINK.search(mail.outbox[0].body)
    assert link is not None
    browser = Client()
    form_url = browser.get(link.group(1), follow=True).redirect_chain[-1][0]
    new = "Another-Steppe-9"
    response = browser.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert Client().login(username="round@example.kz", password=new)
    assert not Client().login(username="round@example.kz", password=PASSWORD)
