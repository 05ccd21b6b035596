"""Reminders: agreements ending in 90 and 30 days, once each (recommendations are actions:
their reminders and the send_reminders command are tested in consilium/actions/tests)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from consilium.accounts.testing import UserFactory
from consilium.actions.models import Reminder
from consilium.core.roles import Role
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory, member
from consilium.notifications.models import Notification
from consilium.partnerships import services as ps
from consilium.partnerships import tasks
from consilium.partnerships.models import Agreement, AgreementStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the e-mails queued with transaction.on_commit (the test never commits)."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


@pytest.fixture
def today(monkeypatch):
    """The tasks' idea of today, movable: ``today.set(date)``."""

    class Today:
        value = timezone.localdate()

        def set(self, value: date) -> None:
            self.value = value

    clock = Today()
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: clock.value)
    return clock


class Parties:
    def __init__(self) -> None:
        self.own = InstitutionFactory(name_en="Own University")
        self.partner = InstitutionFactory(name_en="Partner College", country="US")
        self.coordinator = member(Role.PARTNERSHIP_COORDINATOR, self.own, full_name="Aigerim")
        self.partner_admin = member(Role.INSTITUTION_ADMIN, self.partner, full_name="John")
        # Not told: a teacher of a party, a coordinator elsewhere, a coordinator who left.
        self.teacher = member(Role.TEACHER, self.own)
        self.elsewhere = member(Role.PARTNERSHIP_COORDINATOR)
        self.gone = member(Role.PARTNERSHIP_COORDINATOR, self.own, is_active=False)

    @property
    def told(self) -> set[int]:
        return {self.coordinator.pk, self.partner_admin.pk}

    def agreement(
        self,
        *,
        valid_until: date | None,
        status: str = AgreementStatus.ACTIVE,
        titles: dict[str, str] | None = None,
    ) -> Agreement:
        agreement = ps.agreement_create(
            kind="memorandum",
            titles=titles or {"en": "Nursing exchange"},
            by=None,
            valid_until=valid_until,
            parties=[
                ps.PartyData(institution=self.own, role="domestic"),
                ps.PartyData(institution=self.partner, role="foreign"),
            ],
        )
        Agreement.objects.filter(pk=agreement.pk).update(status=status)
        agreement.refresh_from_db()
        return agreement


@pytest.fixture
def parties() -> Parties:
    return Parties()


def notified() -> set[int]:
    return set(Notification.objects.values_list("user_id", flat=True))


# --- agreements --------------------------------------------------------------------------


@pytest.mark.parametrize("days", [90, 60, 31])
def test_agreement_ending_within_90_days_tells_the_coordinators_of_every_party(
    parties, on_commit, today, days
) -> None:
    agreement = parties.agreement(valid_until=today.value + timedelta(days=days))

    assert on_commit(tasks.send_agreement_reminders.call) == 1

    assert notified() == parties.told
    note = Notification.objects.get(user=parties.coordinator)
    assert note.url == reverse("partnerships:agreement_detail", args=[agreement.pk])
    assert "Nursing exchange" in note.message and note.read_at is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [parties.coordinator.email, parties.partner_admin.email]
    )
    assert Reminder.objects.filter(
        key=f"agreement:{agreement.pk}:ends:90:{agreement.valid_until.isoformat()}"
    ).exists()


@pytest.mark.parametrize("days", [30, 7, 0])
def test_agreement_ending_within_30_days_gets_the_30_day_reminder(
    parties, on_commit, today, days
) -> None:
    agreement = parties.agreement(valid_until=today.value + timedelta(days=days))

    on_commit(tasks.send_agreement_reminders.call)

    assert notified() == parties.told
    assert list(Reminder.objects.values_list("key", flat=True)) == [
        f"agreement:{agreement.pk}:ends:30:{agreement.valid_until.isoformat()}"
    ]


@pytest.mark.parametrize("days", [91, 365, -1])
def test_no_reminder_outside_the_window(parties, on_commit, today, days) -> None:
    parties.agreement(valid_until=today.value + timedelta(days=days))
    parties.agreement(valid_until=None)

    assert on_commit(tasks.send_agreement_reminders.call) == 0
    assert not Notification.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    "status",
    [
        AgreementStatus.PROPOSED,
        AgreementStatus.NEGOTIATING,
        AgreementStatus.TERMINATED,
        AgreementStatus.EXPIRED,
        AgreementStatus.RENEWED,
    ],
)
def test_no_reminder_for_drafts_or_agreements_no_longer_in_force(
    parties, on_commit, today, status
) -> None:
    parties.agreement(valid_until=today.value + timedelta(days=20), status=status)

    assert on_commit(tasks.send_agreement_reminders.call) == 0
    assert not Notification.objects.exists() and mail.outbox == []


def test_signed_agreements_are_in_force_too(parties, on_commit, today) -> None:
    parties.agreement(valid_until=today.value + timedelta(days=20), status=AgreementStatus.SIGNED)

    assert on_commit(tasks.send_agreement_reminders.call) == 1


def test_each_reminder_is_sent_once_90_then_30(parties, on_commit, today) -> None:
    ends = today.value + timedelta(days=90)
    parties.agreement(valid_until=ends)
    per_day = []
    for days_left in (90, 90, 89, 60, 31, 30, 30, 29, 1, 0):
        today.set(ends - timedelta(days=days_left))
        per_day.append(on_commit(tasks.send_agreement_reminders.call))

    assert per_day == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert Notification.objects.filter(user=parties.coordinator).count() == 2
    assert len(mail.outbox) == 4  # two reminders to two people


def test_a_late_first_run_sends_only_the_30_day_reminder(parties, on_commit, today) -> None:
    parties.agreement(valid_until=today.value + timedelta(days=25))

    on_commit(tasks.send_agreement_reminders.call)
    on_commit(tasks.send_agreement_reminders.call)

    assert Notification.objects.filter(user=parties.coordinator).count() == 1
    assert "25 days" in Notification.objects.get(user=parties.coordinator).message


def test_a_new_end_date_brings_new_reminders(parties, on_commit, today) -> None:
    agreement = parties.agreement(valid_until=today.value + timedelta(days=20))
    on_commit(tasks.send_agreement_reminders.call)
    Agreement.objects.filter(pk=agreement.pk).update(valid_until=today.value + timedelta(days=80))

    assert on_commit(tasks.send_agreement_reminders.call) == 1
    assert Notification.objects.filter(user=parties.coordinator).count() == 2


def test_a_reminder_claimed_by_another_worker_is_not_sent_again(parties, on_commit, today) -> None:
    agreement = parties.agreement(valid_until=today.value + timedelta(days=50))
    # Another run of the task (e.g. a concurrent worker) got the unique key first.
    Reminder.objects.create(key=f"agreement:{agreement.pk}:ends:90:{agreement.valid_until}")

    assert on_commit(tasks.send_agreement_reminders.call) == 0
    assert not Notification.objects.exists() and mail.outbox == []


def test_claim_relies_on_the_unique_key() -> None:
    assert tasks._claim("agreement:1:ends:90:2030-01-01") is True
    assert tasks._claim("agreement:1:ends:90:2030-01-01") is False
    assert Reminder.objects.count() == 1


def test_without_coordinators_nothing_is_claimed_until_there_is_someone(on_commit, today) -> None:
    own, partner = InstitutionFactory(), InstitutionFactory()
    agreement = ps.agreement_create(
        kind="memorandum",
        titles={"en": "Lonely"},
        by=None,
        valid_until=today.value + timedelta(days=40),
        parties=[
            ps.PartyData(institution=own, role="domestic"),
            ps.PartyData(institution=partner, role="foreign"),
        ],
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.ACTIVE)
    assert on_commit(tasks.send_agreement_reminders.call) == 0
    assert not Reminder.objects.exists()

    coordinator = member(Role.PARTNERSHIP_COORDINATOR, partner)
    assert on_commit(tasks.send_agreement_reminders.call) == 1
    assert notified() == {coordinator.pk}


def test_e_mail_and_notification_in_each_recipients_language(parties, on_commit, today) -> None:
    parties.coordinator.language = "ru"
    parties.coordinator.save(update_fields=["language"])
    parties.partner_admin.language = ""  # falls back to the site language (en)
    parties.partner_admin.save(update_fields=["language"])
    ends = today.value + timedelta(days=30)
    parties.agreement(
        valid_until=ends, titles={"en": "Nursing exchange", "ru": "Обмен медсёстрами"}
    )

    with translation.override("kk"):  # whatever the worker's language, each gets their own
        on_commit(tasks.send_agreement_reminders.call)

    def expected(language: str, title: str) -> tuple[str, str]:
        with translation.override(language):
            subject = ngettext(
                "An agreement ends in %(days)d day", "An agreement ends in %(days)d days", 30
            ) % {"days": 30}
            message = ngettext(
                "The agreement “%(title)s” ends on %(date)s, in %(days)d day.",
                "The agreement “%(title)s” ends on %(date)s, in %(days)d days.",
                30,
            ) % {"title": title, "date": formats.date_format(ends, "DATE_FORMAT"), "days": 30}
            return subject, message

    by_address = {m.to[0]: m for m in mail.outbox}
    for user, language, title in (
        (parties.coordinator, "ru", "Обмен медсёстрами"),
        (parties.partner_admin, "en", "Nursing exchange"),
    ):
        subject, message = expected(language, title)
        email = by_address[user.email]
        assert email.subject == subject
        assert message in email.body
        with translation.override(language):
            assert gettext("All your notifications:") in email.body
        assert Notification.objects.get(user=user).message == message

    # The Russian one really is in Russian: its title and its month name.
    with translation.override("ru"):
        russian_date = formats.date_format(ends, "DATE_FORMAT")
    ru_mail = by_address[parties.coordinator.email]
    assert "Обмен медсёстрами" in ru_mail.body and russian_date in ru_mail.body
    assert "Nursing exchange" not in ru_mail.body


# --- the notifications page ---------------------------------------------------------------


def test_notifications_page_lists_reminders_and_marks_them_read(
    client, parties, on_commit, today
) -> None:
    parties.agreement(valid_until=today.value + timedelta(days=30))
    on_commit(tasks.send_agreement_reminders.call)
    client.force_login(parties.coordinator)

    body = client.get(reverse("notifications:list")).content.decode()
    assert "Nursing exchange" in body
    assert reverse("notifications:mark_all_read") in body
    assert "(1 unread)" in body  # the bell in the navigation bar

    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=parties.coordinator, read_at__isnull=True).exists()
    # The partner's administrator still has theirs unread.
    assert Notification.objects.filter(user=parties.partner_admin, read_at__isnull=True).exists()
    body = client.get(reverse("notifications:list")).content.decode()
    assert "unread)" not in body and "Nursing exchange" in body


def test_others_do_not_see_my_reminders(client, parties, on_commit, today) -> None:
    parties.agreement(valid_until=today.value + timedelta(days=30))
    on_commit(tasks.send_agreement_reminders.call)
    client.force_login(parties.teacher)

    body = client.get(reverse("notifications:list")).content.decode()
    assert "Nursing exchange" not in body


def test_anonymous_is_sent_to_sign_in(client) -> None:
    for method in ("get", "post"):
        url = reverse("notifications:list" if method == "get" else "notifications:mark_all_read")
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_membership_roles_that_count_as_coordinators(parties) -> None:
    agreement = parties.agreement(valid_until=None)
    both = UserFactory()
    Membership.objects.create(user=both, institution=parties.own, role=Role.INSTITUTION_ADMIN)
    Membership.objects.create(user=both, institution=parties.partner, role=Role.INSTITUTION_ADMIN)

    people = tasks.coordinators_of(agreement)

    assert {p.pk for p in people} == parties.told | {both.pk}
    assert len(people) == len({p.pk for p in people})  # each person once
