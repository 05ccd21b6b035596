"""Reminders about actions, run as a background task (see ``reminders.py``).

Before the due date (within ``DUE_SOON_DAYS``) and once it has passed, once each for a due
date, the person responsible is told (else the owner institution's coordinators), by e-mail
and in the app, in their own language. A new due date brings new reminders. Actions about an
object its app no longer works on (an origin's ``stale``, e.g. a terminated agreement) are
left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy
from django_tasks import task

from consilium.accounts.models import User
from consilium.actions import origins
from consilium.actions.choices import OPEN_STATUSES
from consilium.actions.models import Action
from consilium.actions.policy import COORDINATOR_ROLES
from consilium.actions.reminders import claim
from consilium.notifications.services import notification_send

# The person responsible is told this many days before the due date.
DUE_SOON_DAYS = 7


def coordinators_of(institution_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution_id=institution_id,
            memberships__role__in=COORDINATOR_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def _recipients(action: Action) -> list[User]:
    person = action.responsible
    if person is not None and person.is_active:
        return [person]
    return coordinators_of(action.institution_id)


def _title(action: Action) -> str:
    return Truncator(" ".join(action.title.split())).chars(120)


def _overdue_message(action: Action, due: date) -> Callable[[], str]:
    def render() -> str:  # in the recipient's language: the title, the date format
        return gettext("The action “%(title)s” was due on %(date)s and is not done yet.") % {
            "title": _title(action),
            "date": formats.date_format(due, "DATE_FORMAT"),
        }

    return render


def _due_soon_message(action: Action, due: date) -> Callable[[], str]:
    def render() -> str:
        return gettext("The action “%(title)s” is due on %(date)s.") % {
            "title": _title(action),
            "date": formats.date_format(due, "DATE_FORMAT"),
        }

    return render


def _still_worked_on(qs: QuerySet[Action]) -> QuerySet[Action]:
    for origin in origins.origins():
        if origin.stale is not None:
            qs = qs.exclude(
                origin_type=origins.content_type(origin.model),
                origin_id__in=origin.stale().values("pk"),
            )
    return qs


def _send(action: Action, key: str, message: Callable[[], str], subject: object) -> bool:
    people = _recipients(action)
    if not people:
        return False  # nobody to tell yet: try again on the next run
    with transaction.atomic():
        if not claim(key):
            return False
        notification_send(
            users=people,
            message=message,
            subject=subject,  # type: ignore[arg-type]
            url=reverse("actions:action_detail", args=[action.pk]),
        )
    return True


@task()
def send_action_reminders() -> int:
    """Remind about open actions due within ``DUE_SOON_DAYS`` and about overdue ones, once
    each per due date. Returns how many reminders were sent."""
    today = timezone.localdate()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    pending = (
        _still_worked_on(Action.objects.filter(status__in=OPEN_STATUSES, due_on__lte=horizon))
        .select_related("responsible")
        .order_by("due_on", "pk")
    )
    sent = 0
    for action in pending:
        due: date = action.due_on  # type: ignore[assignment]
        if due < today:
            key = f"action:{action.pk}:overdue:{due.isoformat()}"
            sent += _send(
                action, key, _overdue_message(action, due), gettext_lazy("An action is overdue")
            )
        else:
            key = f"action:{action.pk}:due:{due.isoformat()}"
            sent += _send(
                action, key, _due_soon_message(action, due), gettext_lazy("An action is due soon")
            )
    return sent
