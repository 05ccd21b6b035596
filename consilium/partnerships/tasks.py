"""Reminders about agreements and recommendations, run as background tasks.

``send_reminders`` (a management command run daily by cron or a systemd timer) enqueues both
tasks; the ``db_worker`` runs them. Each reminder is claimed in the Reminder table under a
unique key before anyone is told, in the same transaction, so that running the tasks again,
or twice at the same time, never sends a reminder twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_tasks import task

from consilium.accounts.models import User
from consilium.notifications.services import notification_send
from consilium.partnerships import lifecycle
from consilium.partnerships.choices import AgreementStatus, RecommendationStatus
from consilium.partnerships.models import Agreement, Recommendation, Reminder
from consilium.partnerships.policy import COORDINATOR_ROLES

# Coordinators are told when an agreement in force ends within this many days (largest first).
AGREEMENT_REMINDER_DAYS = (90, 30)


def _claim(key: str) -> bool:
    """Record that the reminder ``key`` is sent; False if it already was (or is being) sent."""
    try:
        with transaction.atomic():
            Reminder.objects.create(key=key)
    except IntegrityError:
        return False
    return True


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


def _overdue_message(recommendation: Recommendation, due: date) -> Callable[[], str]:
    def render() -> str:
        return gettext(
            "The recommendation “%(text)s” of the agreement “%(agreement)s” was due on %(date)s "
            "and is not done yet."
        ) % {
            "text": Truncator(" ".join(recommendation.text.split())).chars(120),
            "agreement": recommendation.agreement.title,
            "date": formats.date_format(due, "DATE_FORMAT"),
        }

    return render


@task()
def send_overdue_recommendation_reminders() -> int:
    """Tell the owner of each overdue recommendation (else the parties' coordinators), once.

    A recommendation is overdue the day after its due date while it is neither done nor
    dropped; a new due date brings a new reminder. Returns how many reminders were sent.
    """
    today = timezone.localdate()
    overdue = (
        # Only agreements still being worked on: a terminated or renewed agreement's old
        # recommendations would otherwise flood people on the first run.
        Recommendation.objects.filter(due_on__lt=today)
        .exclude(status__in=[RecommendationStatus.DONE, RecommendationStatus.DROPPED])
        .exclude(agreement__status__in=[AgreementStatus.TERMINATED, AgreementStatus.RENEWED])
        .select_related("agreement", "owner")
        .order_by("due_on", "pk")
    )
    sent = 0
    for recommendation in overdue:
        due: date = recommendation.due_on  # type: ignore[assignment]
        key = f"recommendation:{recommendation.pk}:overdue:{due.isoformat()}"
        owner = recommendation.owner
        people = (
            [owner]
            if owner is not None and owner.is_active
            else coordinators_of(recommendation.agreement)
        )
        if not people:
            continue
        with transaction.atomic():
            if not _claim(key):
                continue
            notification_send(
                users=people,
                message=_overdue_message(recommendation, due),
                subject=gettext_lazy("A recommendation is overdue"),
                url=reverse("partnerships:agreement_detail", args=[recommendation.agreement_id])
                + "#analysis-h",
            )
        sent += 1
    return sent
