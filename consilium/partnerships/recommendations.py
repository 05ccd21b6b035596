"""Partnership recommendations are actions (``consilium.actions``) whose origin is an agreement
and whose topic is one of its programme's priority areas.

``register()`` (from ``PartnershipsConfig.ready()``) makes agreements an origin of actions:
the parties of an agreement read its actions, an action's page links back to the agreement.
``recommendations_of`` is what the agreement page, its PDF and the programme report show.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from consilium.actions.choices import OPEN_STATUSES, ActionKind
from consilium.actions.models import Action
from consilium.actions.origins import Origin, register_origin
from consilium.partnerships.models import Agreement, AgreementStatus, PriorityArea


def _parties(agreement: Agreement) -> set[int]:
    return {party.institution_id for party in agreement.parties.all()}


def _with_parties(institution_ids: Iterable[int]) -> QuerySet[Agreement]:
    return Agreement.objects.filter(parties__institution_id__in=list(institution_ids))


def _topics(agreement: Agreement) -> list[tuple[int, str]]:
    if agreement.programme_id is None:
        return []
    return [
        (a.pk, str(a)) for a in PriorityArea.objects.filter(programme_id=agreement.programme_id)
    ]


def register() -> None:
    register_origin(
        Origin(
            model=Agreement,
            parties=_parties,
            with_parties=_with_parties,
            url=lambda agreement: reverse("partnerships:agreement_detail", args=[agreement.pk]),
            topics=_topics,
            topic_model=PriorityArea,
            stale=lambda: Agreement.objects.filter(
                status__in=[AgreementStatus.TERMINATED, AgreementStatus.RENEWED]
            ),
        )
    )


def _is_area(action: Action) -> bool:
    kind = action.topic_type
    return kind is not None and (kind.app_label, kind.model) == ("partnerships", "priorityarea")


def with_areas(actions: Iterable[Action]) -> list[Action]:
    """The actions, each with ``area``: its priority area (or None), read in one query."""
    rows = list(actions)
    ids = {a.topic_id for a in rows if a.topic_id and _is_area(a)}
    areas = PriorityArea.objects.in_bulk(ids) if ids else {}
    for a in rows:
        a.area = areas.get(a.topic_id) if _is_area(a) else None  # type: ignore[attr-defined]
    return rows


def recommendations_query(agreement_ids: Iterable[int]) -> QuerySet[Action]:
    """Every action of these agreements (recommendations and the rest), by due date. The
    content types are joined, not looked up, so the query count never depends on a cache."""
    return (
        Action.objects.filter(
            origin_type__app_label="partnerships",
            origin_type__model="agreement",
            origin_id__in=list(agreement_ids),
        )
        .select_related("responsible", "topic_type")
        .order_by("due_on", "id")
    )


def recommendations_of(agreement: Agreement) -> list[Action]:
    """The recommendations (and other actions) of an agreement, with their areas."""
    return with_areas(recommendations_query([agreement.pk]))


def open_count(actions: Iterable[Action]) -> int:
    return sum(1 for a in actions if a.status in OPEN_STATUSES)


def owner_institution(agreement: Agreement, user: Any) -> Any:
    """Who owns a recommendation recorded on an agreement: the first party the person speaks
    for, else the first party (the agreement's own side when a network administrator writes)."""
    from consilium.actions.policy import coordinated_institution_ids

    parties = list(agreement.parties.all())
    mine = set(coordinated_institution_ids(user)) if user is not None else set()
    for party in parties:
        if party.institution_id in mine:
            return party.institution
    return parties[0].institution if parties else None


KIND = ActionKind.RECOMMENDATION
