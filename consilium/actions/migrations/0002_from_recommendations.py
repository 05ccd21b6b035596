"""Every partnership Recommendation becomes an Action, with its history, and the sent
reminders move here (the partnerships' next migration deletes the old tables).

Kept: the id (so links and API ids stay valid), the text (the title; a text longer than a
title is also kept whole as the description), the status, the owner (as the person
responsible and the recorder), the due and done dates, the evidence, the agreement (origin)
and priority area (topic), created/updated times, and every historical row with its date,
type and user. New: the owner institution (the agreement's party the owner speaks for, else
its first party), ``opened_on`` (the day it was created, or the due date if that is earlier)
and, for a dropped one, a reason saying it was dropped before reasons were recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations
from django.utils import timezone

TITLE_LENGTH = 300
CHUNK = 2000
COORDINATOR_ROLES = ("partnership_coordinator", "institution_admin")
DROPPED_REASON = "Dropped before reasons were recorded."
LANG = getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", "en")


def split(text: str) -> tuple[str, str]:
    text = (text or "").strip()
    if len(text) <= TITLE_LENGTH:
        return text, ""
    words = " ".join(text.split())
    return words[: TITLE_LENGTH - 1].rstrip() + "…", text


def _chunks(qs: Any) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _local_date(moment: Any) -> Any:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


class Owners:
    """Which institution owns a recommendation of an agreement, for an owner."""

    def __init__(self, apps: Any) -> None:
        self.parties: dict[int, list[int]] = {}
        for agreement_id, institution_id in (
            apps.get_model("partnerships", "AgreementParty")
            .objects.order_by("agreement_id", "order", "id")
            .values_list("agreement_id", "institution_id")
        ):
            self.parties.setdefault(agreement_id, []).append(institution_id)
        self.speaks: dict[int, set[int]] = {}
        self.member: dict[int, set[int]] = {}
        for user_id, institution_id, role in (
            apps.get_model("institutions", "Membership")
            .objects.values_list("user_id", "institution_id", "role")
        ):
            self.member.setdefault(user_id, set()).add(institution_id)
            if role in COORDINATOR_ROLES:
                self.speaks.setdefault(user_id, set()).add(institution_id)
        Agreement = apps.get_model("partnerships", "Agreement")
        self.programme_owner = dict(
            Agreement.objects.filter(programme__isnull=False).values_list(
                "pk", "programme__owner_id"
            )
        )
        first = apps.get_model("institutions", "Institution").objects.order_by("pk").first()
        self.fallback = first.pk if first is not None else None

    def __call__(self, agreement_id: int, owner_id: int | None) -> int:
        parties = self.parties.get(agreement_id, [])
        for wanted in (self.speaks, self.member):
            held = wanted.get(owner_id, set()) if owner_id is not None else set()
            for institution_id in parties:
                if institution_id in held:
                    return institution_id
        if parties:
            return parties[0]
        found = self.programme_owner.get(agreement_id) or self.fallback
        assert found is not None, "an agreement without parties in a database without institutions"
        return found


def _fields(rec: Any, owners: Owners, agreement_type: int, area_type: int) -> dict[str, Any]:
    title, description = split(rec.text)
    created = _local_date(rec.created_at)
    opened = min(created, rec.due_on) if rec.due_on else created
    return {
        "id": rec.id,
        "kind": "recommendation",
        "title": title,
        f"title_{LANG}": title,
        "description": description,
        f"description_{LANG}": description,
        "institution_id": owners(rec.agreement_id, rec.owner_id),
        "responsible_id": rec.owner_id,
        "created_by_id": rec.owner_id,
        "opened_on": opened,
        "due_on": rec.due_on,
        "status": rec.status,
        "evidence": rec.evidence,
        "done_on": rec.done_on,
        "drop_reason": DROPPED_REASON if rec.status == "dropped" else "",
        "origin_type_id": agreement_type,
        "origin_id": rec.agreement_id,
        "topic_type_id": area_type if rec.area_id else None,
        "topic_id": rec.area_id,
        "created_at": rec.created_at,
        "updated_at": rec.updated_at,
    }


def _without_auto_dates(*models: Any) -> None:
    """Keep the recorded created/updated times (auto_now would stamp the migration's)."""
    for model in models:
        for name in ("created_at", "updated_at"):
            field = model._meta.get_field(name)
            field.auto_now = False
            field.auto_now_add = False


def forward(apps: Any, schema_editor: Any) -> None:
    Recommendation = apps.get_model("partnerships", "Recommendation")
    HistoricalRecommendation = apps.get_model("partnerships", "HistoricalRecommendation")
    Action = apps.get_model("actions", "Action")
    HistoricalAction = apps.get_model("actions", "HistoricalAction")
    ContentType = apps.get_model("contenttypes", "ContentType")
    _without_auto_dates(Action, HistoricalAction)
    db = schema_editor.connection.alias
    agreement_type = ContentType.objects.db_manager(db).get_or_create(
        app_label="partnerships", model="agreement"
    )[0].pk
    area_type = ContentType.objects.db_manager(db).get_or_create(
        app_label="partnerships", model="priorityarea"
    )[0].pk
    owners = Owners(apps)
    for rows in _chunks(Recommendation.objects.using(db)):
        Action.objects.using(db).bulk_create(
            [Action(**_fields(rec, owners, agreement_type, area_type)) for rec in rows]
        )
    for rows in _chunks(HistoricalRecommendation.objects.using(db)):
        HistoricalAction.objects.using(db).bulk_create(
            [
                HistoricalAction(
                    **_fields(rec, owners, agreement_type, area_type),
                    history_id=rec.history_id,
                    history_date=rec.history_date,
                    history_change_reason=rec.history_change_reason,
                    history_type=rec.history_type,
                    history_user_id=rec.history_user_id,
                )
                for rec in rows
            ]
        )
    OldReminder = apps.get_model("partnerships", "Reminder")
    Reminder = apps.get_model("actions", "Reminder")
    Reminder._meta.get_field("sent_at").auto_now_add = False
    for rows in _chunks(OldReminder.objects.using(db)):
        Reminder.objects.using(db).bulk_create(
            [
                Reminder(
                    key="action:" + r.key.removeprefix("recommendation:")
                    if r.key.startswith("recommendation:")
                    else r.key,
                    sent_at=r.sent_at,
                )
                for r in rows
            ],
            ignore_conflicts=True,
        )
    # Ids were given explicitly: move the sequences past them (PostgreSQL).
    sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), [Action, HistoricalAction])
    with schema_editor.connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    """Put the recommendations back (the partnerships' table is empty again by then)."""
    Recommendation = apps.get_model("partnerships", "Recommendation")
    Action = apps.get_model("actions", "Action")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    agreement_type = ContentType.objects.db_manager(db).filter(
        app_label="partnerships", model="agreement"
    ).first()
    if agreement_type is None:
        return
    field_names = ("created_at", "updated_at")
    for name in field_names:
        field = Recommendation._meta.get_field(name)
        field.auto_now = field.auto_now_add = False
    migrated = Action.objects.using(db).filter(
        kind="recommendation", origin_type_id=agreement_type.pk
    )
    for rows in _chunks(migrated):
        Recommendation.objects.using(db).bulk_create(
            [
                Recommendation(
                    id=a.id,
                    agreement_id=a.origin_id,
                    area_id=a.topic_id,
                    text=a.description or a.title,
                    owner_id=a.responsible_id,
                    due_on=a.due_on,
                    status="done" if a.status == "verified" else a.status,
                    evidence=a.evidence,
                    done_on=a.done_on,
                    created_at=a.created_at,
                    updated_at=a.updated_at,
                )
                for a in rows
            ]
        )
    migrated.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("partnerships", "0003_list_filter_indexes"),
        ("institutions", "0003_institution_institution_name_order"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
