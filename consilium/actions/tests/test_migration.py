"""Partnership recommendations become actions: the data migration, run for real.

The database is taken back to the state before (actions 0001, partnerships 0003), filled
with recommendations, their history and sent reminders through the models of that state, and
migrated forward through ``actions.0002`` and ``partnerships.0004``. Then counts, texts,
statuses, owners, dates, areas and every historical row are compared with what was there.

``CONSILIUM_MIGRATION_ROWS=50000`` runs the bulk case with that many recommendations (the
default, 2,500, already spans two of the migration's chunks).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from consilium.accounts.testing import UserFactory
from consilium.actions.models import Action, Reminder
from consilium.core.roles import Role
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory
from consilium.partnerships import services as ps
from consilium.partnerships.models import Agreement, PriorityArea

BEFORE = [("actions", "0001_initial"), ("partnerships", "0003_list_filter_indexes")]
ROWS = int(os.environ.get("CONSILIUM_MIGRATION_ROWS", "2500"))


def _migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    plan_targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(plan_targets)
    executor.loader.build_graph()
    return executor.loader.project_state(plan_targets).apps


def _world() -> dict[str, Any]:
    own, partner = InstitutionFactory(), InstitutionFactory()
    coordinator = UserFactory()
    Membership.objects.create(
        user=coordinator, institution=partner, role=Role.PARTNERSHIP_COORDINATOR
    )
    teacher = UserFactory()
    Membership.objects.create(user=teacher, institution=own, role=Role.TEACHER)
    programme = ps.programme_create(
        owner=own, titles={"en": "Programme"}, starts_on=date(2016, 1, 1), by=None
    )
    area = ps.priority_area_add(programme=programme, names={"en": "Research"})
    agreement = ps.agreement_create(
        kind="strategic",
        titles={"en": "Pair"},
        by=None,
        programme=programme,
        parties=[
            ps.PartyData(institution=own, role="domestic"),
            ps.PartyData(institution=partner, role="foreign"),
        ],
    )
    return {
        "own": own,
        "partner": partner,
        "coordinator": coordinator,
        "teacher": teacher,
        "area": area,
        "agreement": agreement,
    }


def _snapshot(old: Any) -> dict[str, Any]:
    Recommendation = old.get_model("partnerships", "Recommendation")
    History = old.get_model("partnerships", "HistoricalRecommendation")
    return {
        "rows": {
            r.pk: (
                r.text,
                r.status,
                r.owner_id,
                r.due_on,
                r.done_on,
                r.evidence,
                r.area_id,
                r.agreement_id,
                r.created_at,
                r.updated_at,
            )
            for r in Recommendation.objects.all()
        },
        "history": sorted(
            (
                h.history_id,
                h.id,
                h.history_type,
                h.history_date,
                h.history_user_id,
                h.status,
                h.text,
            )
            for h in History.objects.all()
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_every_recommendation_becomes_an_action_with_its_history() -> None:
    old = _migrate(BEFORE)
    w = _world()
    Recommendation = old.get_model("partnerships", "Recommendation")
    History = old.get_model("partnerships", "HistoricalRecommendation")
    OldReminder = old.get_model("partnerships", "Reminder")
    long_text = "A long recommendation. " * 30
    created = timezone.now() - timedelta(days=400)
    specs = [
        # text, status, owner, due, area, evidence
        ("Open a research office", "open", w["teacher"], date(2017, 6, 30), w["area"], ""),
        ("Train the staff", "in_progress", w["coordinator"], None, None, ""),
        ("Share the syllabus", "done", None, date(2018, 1, 1), w["area"], "Minutes of May"),
        ("Swap teachers", "dropped", w["teacher"], None, None, ""),
        (long_text, "open", None, None, None, ""),
    ]
    for text, status, owner, due, area, evidence in specs:
        rec = Recommendation.objects.create(
            agreement_id=w["agreement"].pk,
            area_id=area.pk if area else None,
            text=text,
            owner_id=owner.pk if owner else None,
            due_on=due,
            status=status,
            evidence=evidence,
            done_on=date(2017, 12, 1) if status == "done" else None,
        )
        Recommendation.objects.filter(pk=rec.pk).update(created_at=created)
        for n, state in enumerate(["open", status]):
            History.objects.create(
                id=rec.pk,
                agreement_id=rec.agreement_id,
                area_id=rec.area_id,
                text=text,
                owner_id=rec.owner_id,
                due_on=due,
                status=state,
                evidence=evidence,
                done_on=rec.done_on,
                created_at=created,
                updated_at=created,
                history_date=created + timedelta(days=n),
                history_type="+" if n == 0 else "~",
                history_user_id=w["coordinator"].pk,
            )
    first = Recommendation.objects.order_by("pk").first()
    OldReminder.objects.create(key=f"recommendation:{first.pk}:overdue:2017-06-30")
    OldReminder.objects.create(key=f"agreement:{w['agreement'].pk}:ends:90:2030-01-01")
    before = _snapshot(old)

    _migrate()

    actions = {a.pk: a for a in Action.objects.all()}
    assert set(actions) == set(before["rows"])
    agreement_type = ContentType.objects.get_for_model(Agreement)
    area_type = ContentType.objects.get_for_model(PriorityArea)
    for pk, (
        text,
        status,
        owner_id,
        due,
        done,
        evidence,
        area_id,
        agreement_id,
        c_at,
        u_at,
    ) in before["rows"].items():
        a = actions[pk]
        assert a.text == text.strip() and a.kind == "recommendation"
        assert (a.status, a.responsible_id, a.due_on, a.done_on, a.evidence) == (
            status,
            owner_id,
            due,
            done,
            evidence,
        )
        assert (a.origin_type_id, a.origin_id) == (agreement_type.pk, agreement_id)
        assert (a.topic_id, a.topic_type_id) == (area_id, area_type.pk if area_id else None)
        assert (a.created_at, a.updated_at) == (c_at, u_at)
        assert a.due_on is None or a.opened_on <= a.due_on
        assert bool(a.drop_reason) == (status == "dropped")
    by_text = {a.text: a for a in actions.values()}
    # The owner's party owns it: the coordinator speaks for the partner; the rest, the first party.
    assert by_text["Train the staff"].institution == w["partner"]
    assert by_text["Open a research office"].institution == w["own"]
    assert by_text["Share the syllabus"].institution == w["own"]
    assert len(by_text[long_text.strip()].title) <= 300
    history = sorted(
        (
            h.history_id,
            h.id,
            h.history_type,
            h.history_date,
            h.history_user_id,
            h.status,
            h.description or h.title,
        )
        for h in Action.history.all()
    )
    assert history == [(*row[:6], row[6].strip()) for row in before["history"]]
    assert set(Reminder.objects.values_list("key", flat=True)) == {
        f"action:{first.pk}:overdue:2017-06-30",
        f"agreement:{w['agreement'].pk}:ends:90:2030-01-01",
    }
    # New actions continue after the migrated ids.
    assert ps.recommendation_add(agreement=w["agreement"], text="Next").pk > max(actions)


@pytest.mark.django_db(transaction=True)
def test_the_bulk_case_keeps_counts_texts_statuses_and_owners() -> None:
    old = _migrate(BEFORE)
    w = _world()
    Recommendation = old.get_model("partnerships", "Recommendation")
    History = old.get_model("partnerships", "HistoricalRecommendation")
    statuses = ["open", "in_progress", "done", "dropped"]
    Recommendation.objects.bulk_create(
        Recommendation(
            agreement_id=w["agreement"].pk,
            text=f"Recommendation {n}",
            owner_id=(w["teacher"].pk if n % 3 else None),
            status=statuses[n % 4],
            due_on=date(2030, 1, 1) + timedelta(days=n % 365),
        )
        for n in range(ROWS)
    )
    History.objects.bulk_create(
        History(
            id=r.pk,
            agreement_id=r.agreement_id,
            text=r.text,
            owner_id=r.owner_id,
            status=r.status,
            due_on=r.due_on,
            evidence="",
            created_at=r.created_at,
            updated_at=r.updated_at,
            history_date=r.created_at,
            history_type="+",
        )
        for r in Recommendation.objects.all()
    )
    before = _snapshot(old)

    _migrate()

    after = {a.pk: (a.text, a.status, a.responsible_id, a.due_on) for a in Action.objects.all()}
    assert len(after) == ROWS
    assert after == {pk: (row[0], row[1], row[2], row[3]) for pk, row in before["rows"].items()}
    assert Action.history.count() == len(before["history"]) == ROWS
