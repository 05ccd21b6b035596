"""Notifications: created per person in their language, e-mailed after commit, listed, read."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from consilium.accounts.models import User
from consilium.accounts.testing import UserFactory
from consilium.notifications import selectors, services
from consilium.notifications.models import Notification

pytestmark = pytest.mark.django_db


def person(**fields: object) -> User:
    return UserFactory(**fields)


def test_notify_creates_one_per_active_person_and_mails_after_commit(
    django_capture_on_commit_callbacks, settings
) -> None:
    alice, bob = person(), person()
    gone = person(is_active=False)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = services.notification_send(
            users=[alice, bob, alice, gone], message="Hello there", url="/partnerships/"
        )
    assert {n.user_id for n in created} == {alice.pk, bob.pk}
    assert Notification.objects.count() == 2
    assert mail.outbox == []  # nothing is sent before the transaction commits

    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    assert "Hello there" in mail.outbox[0].body
    assert settings.SITE_URL + "/partnerships/" in mail.outbox[0].body
    assert settings.SITE_URL + reverse("notifications:list") in mail.outbox[0].body


def test_notify_renders_each_message_in_the_persons_language(
    django_capture_on_commit_callbacks,
) -> None:
    russian = person(language="ru")
    default = person(language="")

    def message() -> str:
        return f"[{translation.get_language()}] " + gettext("Notifications")

    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(
            users=[russian, default], message=message, subject=gettext_lazy("Notifications")
        )

    with translation.override("ru"):
        ru_word = gettext("Notifications")
    assert Notification.objects.get(user=russian).message == f"[ru] {ru_word}"
    assert Notification.objects.get(user=default).message == "[en] Notifications"
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[russian.email].subject == ru_word
    assert by_address[default.email].subject == "Notifications"
    with translation.override("ru"):
        assert gettext("All your notifications:") in by_address[russian.email].body


def test_notify_keeps_links_within_the_site() -> None:
    user = person()
    for url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            services.notification_send(users=[user], message="x", url=url)
    assert not Notification.objects.exists()


def test_a_subject_never_spans_lines(django_capture_on_commit_callbacks) -> None:
    user = person()
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(users=[user], message="x", subject="First\nsecond")
    assert mail.outbox[0].subject == "First second"


def test_list_is_newest_first_paginated_and_only_mine(client, settings) -> None:
    settings.PAGE_SIZE = 5
    me, someone = person(), person()
    for number in range(7):
        services.notification_send(users=[me], message=f"Message number {number}")
    services.notification_send(users=[someone], message="Not for me")
    client.force_login(me)

    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()

    assert first.index("Message number 6") < first.index("Message number 2")
    assert "Message number 1" not in first and "Message number 0" in second
    assert "Not for me" not in first + second
    assert "7 notifications" in first


def test_mark_all_read_marks_only_mine(client) -> None:
    me, someone = person(), person()
    services.notification_send(users=[me, someone], message="Hello")
    client.force_login(me)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    assert selectors.notification_unread_count(me) == 0
    assert selectors.notification_unread_count(someone) == 1
    body = client.get(reverse("notifications:list")).content.decode()
    assert reverse("notifications:mark_all_read") not in body  # nothing left to mark


def test_the_bell_shows_the_unread_count_accessibly(client) -> None:
    me = person()
    client.force_login(me)
    body = client.get("/").content.decode()
    assert reverse("notifications:list") in body
    assert '<span class="visually-hidden d-none d-lg-inline">Notifications</span>' in body
    assert '<span class="d-lg-none ms-1">Notifications</span>' in body
    assert "unread)" not in body

    for _ in range(3):
        services.notification_send(users=[me], message="Hello")
    body = client.get("/").content.decode()
    assert "(3 unread)" in body
    assert 'aria-hidden="true">3</span>' in body


def test_the_bell_caps_the_visible_count(client) -> None:
    me = person()
    Notification.objects.bulk_create(Notification(user=me, message="x") for _ in range(120))
    client.force_login(me)
    body = client.get("/").content.decode()
    assert 'aria-hidden="true">99+</span>' in body and "(120 unread)" in body


def test_the_unread_count_costs_one_query_per_page(client) -> None:
    me = person()
    services.notification_send(users=[me], message="Hello")
    client.force_login(me)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("notifications:list"))
    counts = [q["sql"] for q in queries if "COUNT" in q["sql"] and "read_at" in q["sql"]]
    assert len(counts) == 1


def test_anonymous_has_no_bell_and_is_sent_to_sign_in(client) -> None:
    body = client.get("/").content.decode()
    assert reverse("notifications:list") not in body
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_verbose_names_are_translatable() -> None:
    with translation.override("en"):
        assert str(Notification._meta.verbose_name) == "notification"
        assert str(Notification._meta.get_field("read_at").verbose_name) == "read at"
