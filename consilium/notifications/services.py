"""Telling people things: a notification in the app and an e-mail, each in the person's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from consilium.accounts.models import User
from consilium.core.person_cache import bump_people
from consilium.core.services import read_only, service
from consilium.core.tasks import send_email
from consilium.notifications.models import Notification

# A message is rendered once per recipient with their language active: give a lazy string or
# a function (e.g. one that formats a date or reads a translated title) rather than a str.
Text = str | Promise | Callable[[], str]


def _render(text: Text) -> str:
    if isinstance(text, str | Promise):
        return str(text)
    return str(text())


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _check_url(url: str) -> str:
    """Only paths within the site: a notification never links somewhere else."""
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValueError(f"A notification links to a path within the site, not {url!r}")
    return url


@read_only
def user_language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


@service
def notification_send(
    *,
    users: Iterable[User],
    message: Text,
    url: str = "",
    subject: Text | None = None,
) -> list[Notification]:
    """Notify each active person once: a notification now, an e-mail once the data is committed.

    Both are rendered in the person's own language (their profile's, else the site's).
    """
    _check_url(url)
    recipients: dict[int, User] = {}
    for user in users:
        if user.is_active and user.pk not in recipients:
            recipients[user.pk] = user
    if not recipients:
        return []
    link = settings.SITE_URL + url if url else ""
    all_url = settings.SITE_URL + reverse("notifications:list")
    rows: list[Notification] = []
    mails: list[tuple[str, str, str]] = []
    for user in recipients.values():
        with translation.override(user_language(user)):
            text = _render(message).strip()
            title = _render(subject) if subject is not None else gettext("News from Consilium")
            body = str(
                render_to_string(
                    "notifications/email/notification.txt",
                    {"user": user, "message": text, "link": link, "all_url": all_url},
                )
            )
        rows.append(Notification(user=user, message=text, url=url))
        if user.email:
            mails.append((_one_line(title), body, user.email))
    created = Notification.objects.bulk_create(rows)
    bump_people(recipients)  # their bell's count: retire their cached pages
    for subject_line, body_text, address in mails:
        transaction.on_commit(
            partial(send_email.enqueue, subject=subject_line, body=body_text, to=[address])
        )
    return created


@service
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read; returns how many there were."""
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        bump_people([user.pk])
    return count
