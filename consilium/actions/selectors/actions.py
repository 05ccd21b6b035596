"""Reads of actions, from the visible rows (``policy.visible_actions``): the network list and
its filter (shared by the page, the exports and the API), my actions, an institution's, one
action, the counts of open and overdue actions per institution, the actions of one origin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from consilium.actions import origins
from consilium.actions.choices import OPEN_STATUSES, ActionKind, ActionStatus
from consilium.actions.models import Action
from consilium.actions.policy import visible_actions
from consilium.core.text import is_number
from consilium.institutions.models import Institution


def _int(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if is_number(text) else None


def _flag(value: Any) -> bool:
    return str(value or "").lower() in {"1", "true", "on", "yes"}


@dataclass(frozen=True)
class ActionFilter:
    """The filters the network list, its exports and the API share."""

    kind: str = ""
    status: str = ""
    institution: int | None = None
    origin: str = ""  # an origin's key, "partnerships.agreement"
    origin_id: int | None = None
    overdue: bool = False
    responsible: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> ActionFilter:
        kind = params.get("kind") or ""
        status = params.get("status") or ""
        origin = params.get("origin") or ""
        return cls(
            kind=kind if kind in ActionKind.values else "",
            status=status if status in ActionStatus.values else "",
            institution=_int(params.get("institution")),
            origin=origin if origins.origin_by_key(origin) is not None else "",
            origin_id=_int(params.get("origin_id")),
            overdue=_flag(params.get("overdue")),
            responsible=_int(params.get("responsible")),
        )


def _joined(qs: QuerySet[Action]) -> QuerySet[Action]:
    return qs.select_related("institution", "responsible", "origin_type")


def action_filtered(qs: QuerySet[Action], flt: ActionFilter) -> QuerySet[Action]:
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.institution:
        qs = qs.filter(institution_id=flt.institution)
    if flt.responsible:
        qs = qs.filter(responsible_id=flt.responsible)
    if flt.origin:
        origin = origins.origin_by_key(flt.origin)
        assert origin is not None
        qs = qs.filter(origin_type=origins.content_type(origin.model))
        if flt.origin_id:
            qs = qs.filter(origin_id=flt.origin_id)
    if flt.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    return qs


def action_list(user: Any, flt: ActionFilter | None = None) -> QuerySet[Action]:
    """The actions this user may see, filtered, by due date (those without one last)."""
    qs = action_filtered(visible_actions(user), flt or ActionFilter())
    return _joined(qs).order_by("due_on", "id")


def action_mine(user: Any) -> QuerySet[Action]:
    """What this person is responsible for or recorded, still to be done first, by due date."""
    return _joined(
        visible_actions(user).filter(Q(responsible_id=user.pk) | Q(created_by_id=user.pk))
    ).order_by("due_on", "id")


def action_of_institution(user: Any, institution: Any) -> QuerySet[Action]:
    return _joined(visible_actions(user).filter(institution=institution)).order_by("due_on", "id")


def action_of_origin(user: Any, origin: Model) -> QuerySet[Action]:
    """The actions about one object (an agreement's recommendations), by due date."""
    return _joined(
        visible_actions(user).filter(
            origin_type=origins.content_type(type(origin)), origin_id=origin.pk
        )
    ).order_by("due_on", "id")


def action_detail(user: Any, pk: int) -> Action:
    return (
        _joined(Action.objects.all())
        .select_related("created_by", "checked_by", "follow_up_of", "topic_type")
        .prefetch_related("files", "follow_ups")
        .get(pk=pk)
    )


def action_counts(user: Any, flt: ActionFilter | None = None) -> list[dict[str, Any]]:
    """Open and overdue actions per institution, among the visible and filtered ones."""
    today = timezone.localdate()
    is_open = Q(status__in=OPEN_STATUSES)
    rows = list(
        action_filtered(visible_actions(user), flt or ActionFilter())
        .order_by()
        .values("institution_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=is_open),
            overdue=Count("id", filter=is_open & Q(due_on__lt=today)),
        )
    )
    names = Institution.objects.in_bulk([row["institution_id"] for row in rows])
    counted = [
        {
            "institution_id": row["institution_id"],
            "institution": str(names[row["institution_id"]]),
            "total": row["total"],
            "open": row["open"],
            "overdue": row["overdue"],
        }
        for row in rows
    ]
    counted.sort(key=lambda row: (-row["overdue"], -row["open"], row["institution"]))
    return counted


def action_history(action: Action) -> list[Any]:
    return list(
        action.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
