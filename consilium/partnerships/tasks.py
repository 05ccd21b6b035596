"""Reminders about agreements that end soon, run as a background task.

The reminder mechanism is the actions app's (``consilium/actions/reminders.py``): its daily
``send_reminders`` command runs this task too (registered in ``PartnershipsConfig.ready``),
and each reminder is claimed there under a unique key before anyone is told, in the same
transaction, so that running the task again, or twice at the same time, never sends one twice.
Recommendations are actions: the actions' own task reminds about them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import ngettext
from django_tasks import task

from consilium.accounts.models import User
from consilium.actions.reminders import claim as _claim
from consilium.notifications.services import notification_send
from consilium.partnerships import lifecycle
from consilium.partnerships.models import Agreement
from consilium.partnerships.policy import COORDINATOR_ROLES

# Coordinators are told when an agreement in force ends within this many days (largest first).
AGREEMENT_REMINDER_DAYS = (90, 30)


def coordinators_of(agreement: Agreement) -> list[User]:
    """Active coordinators and administrators of every party institution."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution__agreement_parties__agreement=agreement,
            memberships__role__in=COORDINATOR_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def _threshold(days_left: int) -> int | None:
    """The tightest reminder the agreement has reached: 30 at 30 days or fewer, 90 up to 90."""
    reached = [days for days in AGREEMENT_REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


def _ending_message(agreement: Agreement, ends: date, days_left: int) -> Callable[[], str]:
    def render() -> str:  # in the recipient's language: their title, their date format
        return ngettext(
            "The agreement “%(title)s” ends on %(date)s, in %(days)d day.",
            "The agreement “%(title)s” ends on %(date)s, in %(days)d days.",
            days_left,
        ) % {
            "title": agreement.title,
            "date": formats.date_format(ends, "DATE_FORMAT"),
            "days": days_left,
        }

    return render


def _ending_subject(days_left: int) -> Callable[[], str]:
    def render() -> str:
        return ngettext(
            "An agreement ends in %(days)d day",
            "An agreement ends in %(days)d days",
            days_left,
        ) % {"days": days_left}

    return render


@task()
def send_agreement_reminders() -> int:
    """Tell the parties' coordinators when an agreement in force ends within 90, then 30 days.

    Returns how many reminders were sent this time.
    """
    today = timezone.localdate()
    horizon = today + timedelta(days=max(AGREEMENT_REMINDER_DAYS))
    agreements = Agreement.objects.filter(
        status__in=lifecycle.IN_FORCE, valid_until__gte=today, valid_until__lte=horizon
    ).order_by("valid_until", "pk")
    sent = 0
    for agreement in agreements:
        ends: date = agreement.valid_until  # type: ignore[assignment]
        days_left = (ends - today).days
        threshold = _threshold(days_left)
        if threshold is None:
            continue
        people = coordinators_of(agreement)
        if not people:
            continue  # nobody to tell yet: try again on the next run
        key = f"agreement:{agreement.pk}:ends:{threshold}:{ends.isoformat()}"
        with transaction.atomic():
            if not _claim(key):
                continue
            notification_send(
                users=people,
                message=_ending_message(agreement, ends, days_left),
                subject=_ending_subject(days_left),
                url=reverse("partnerships:agreement_detail", args=[agreement.pk]),
            )
        sent += 1
    return sent
