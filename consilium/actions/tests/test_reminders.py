"""Reminders about actions: a week before the due date and once overdue, once each, to the
person responsible (else the owner's coordinators), in their language; and the daily command,
which runs the reminders other apps register too (partnerships: agreements ending soon).
Moved here from partnerships, whose recommendations are actions now."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from consilium.actions import services, tasks
from consilium.actions.models import Action, Reminder
from consilium.actions.testing import make_action
from consilium.core.roles import Role
from consilium.institutions.testing import InstitutionFactory, member
from consilium.notifications.models import Notification
from consilium.partnerships import services as ps
from consilium.partnerships import tasks as partnership_tasks
from consilium.partnerships.models import Agreement, AgreementStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


@pytest.fixture
def today(monkeypatch):
    class Today:
        value = timezone.localdate()

        def set(self, value: date) -> None:
            self.value = value

    clock = Today()
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: clock.value)
    monkeypatch.setattr(partnership_tasks.timezone, "localdate", lambda: clock.value)
    return clock


def _past(days: int) -> dict[str, date]:
    """Decided long ago and due ``days`` ago (a negative number: in the future)."""
    now = timezone.localdate()
    return {"opened_on": now - timedelta(days=400), "due_on": now - timedelta(days=days)}


def test_overdue_action_tells_the_person_responsible_once(on_commit, today) -> None:
    own = InstitutionFactory()
    person = member(Role.TEACHER, own)
    action = make_action(
        institution=own, responsible=person, titles={"en": "Open a room"}, **_past(1)
    )

    assert on_commit(tasks.send_action_reminders.call) == 1
    assert on_commit(tasks.send_action_reminders.call) == 0

    note = Notification.objects.get()
    assert note.user == person and "Open a room" in note.message
    assert note.url == reverse("actions:action_detail", args=[action.pk])
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert Reminder.objects.filter(key=f"action:{action.pk}:overdue:{action.due_on}").exists()


def test_a_week_before_the_due_date_then_overdue_each_once(on_commit, today) -> None:
    person = member(Role.TEACHER)
    due = today.value + timedelta(days=10)
    make_action(responsible=person, due_on=due)
    assert on_commit(tasks.send_action_reminders.call) == 0  # not yet within a week
    today.set(due - timedelta(days=7))
    assert on_commit(tasks.send_action_reminders.call) == 1
    today.set(due)
    assert on_commit(tasks.send_action_reminders.call) == 0  # due today: not overdue yet
    today.set(due + timedelta(days=1))
    assert on_commit(tasks.send_action_reminders.call) == 1
    assert on_commit(tasks.send_action_reminders.call) == 0
    assert Notification.objects.filter(user=person).count() == 2


def test_without_a_responsible_person_the_owner_coordinators_are_told(on_commit, today) -> None:
    own = InstitutionFactory()
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, own)
    quality = member(Role.QUALITY_MANAGER, own)
    member(Role.TEACHER, own)  # not told
    member(Role.PARTNERSHIP_COORDINATOR)  # elsewhere: not told
    make_action(institution=own, **_past(3))

    on_commit(tasks.send_action_reminders.call)

    assert set(Notification.objects.values_list("user_id", flat=True)) == {
        coordinator.pk,
        quality.pk,
    }


def test_done_dropped_and_undated_actions_are_left_alone(on_commit, today) -> None:
    person = member(Role.TEACHER)
    make_action(responsible=person)
    done = make_action(responsible=person, **_past(9))
    services.action_transition(action=done, to="done", by=None, data={"evidence": "x"})
    dropped = make_action(responsible=person, **_past(9))
    services.action_transition(action=dropped, to="dropped", by=None, data={"drop_reason": "x"})

    assert on_commit(tasks.send_action_reminders.call) == 0
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_new_due_date_brings_a_new_reminder(on_commit, today) -> None:
    person = member(Role.TEACHER)
    action = make_action(responsible=person, **_past(1))
    on_commit(tasks.send_action_reminders.call)
    services.action_update(
        action=action, by=None, responsible=person, due_on=today.value + timedelta(days=20)
    )
    today.set(today.value + timedelta(days=21))

    assert on_commit(tasks.send_action_reminders.call) == 1
    assert Notification.objects.filter(user=person).count() == 2


def test_in_the_recipients_language(on_commit, today) -> None:
    person = member(Role.TEACHER, language="ru")
    action = make_action(
        responsible=person, titles={"en": "Train tutors", "ru": "Обучить тьюторов"}, **_past(2)
    )
    with translation.override("kk"):
        on_commit(tasks.send_action_reminders.call)

    with translation.override("ru"):
        expected = gettext("The action “%(title)s” was due on %(date)s and is not done yet.") % {
            "title": "Обучить тьюторов",
            "date": formats.date_format(action.due_on, "DATE_FORMAT"),
        }
        subject = gettext("An action is overdue")
    assert Notification.objects.get().message == expected
    assert mail.outbox[0].subject == subject


def test_recommendations_of_agreements_no_longer_worked_on_are_left_alone(on_commit, today) -> None:
    own, partner = InstitutionFactory(), InstitutionFactory()
    owner = member(Role.TEACHER, own)
    for status in (AgreementStatus.ACTIVE, AgreementStatus.TERMINATED):
        agreement = ps.agreement_create(
            kind="memorandum",
            titles={"en": status},
            by=None,
            parties=[
                ps.PartyData(institution=own, role="domestic"),
                ps.PartyData(institution=partner, role="foreign"),
            ],
        )
        Agreement.objects.filter(pk=agreement.pk).update(status=status)
        ps.recommendation_add(agreement=agreement, text=f"Rec {status}", owner=owner, **_past(2))

    assert on_commit(tasks.send_action_reminders.call) == 1
    assert "Rec active" in Notification.objects.get().message


def test_send_reminders_command_runs_the_actions_and_the_agreements_reminders(
    on_commit, today
) -> None:
    own, partner = InstitutionFactory(), InstitutionFactory()
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, own)
    partner_admin = member(Role.INSTITUTION_ADMIN, partner)
    agreement = ps.agreement_create(
        kind="memorandum",
        titles={"en": "Nursing exchange"},
        by=None,
        valid_until=today.value + timedelta(days=10),
        parties=[
            ps.PartyData(institution=own, role="domestic"),
            ps.PartyData(institution=partner, role="foreign"),
        ],
    )
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.ACTIVE)
    ps.recommendation_add(agreement=agreement, text="Overdue", owner=coordinator, **_past(2))

    on_commit(call_command, "send_reminders", verbosity=0)  # the test backend runs them at once
    on_commit(call_command, "send_reminders", "--now", verbosity=0)

    assert Notification.objects.filter(user=coordinator).count() == 2
    assert Notification.objects.filter(user=partner_admin).count() == 1
    assert len(mail.outbox) == 3
    assert Action.objects.count() == 1
