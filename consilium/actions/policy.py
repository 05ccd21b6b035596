"""Who may see and change actions, and which actions one may see.

An action is read by its owner institution's members who hold one of ``READER_ROLES``, by the
person responsible for it, by members of the parties of the object it concerns (through the
origin registry, ``origins.py``), by network administrators and ministry observers. It is
changed by its owner institution's ``COORDINATOR_ROLES``, by the person responsible and by
network administrators. Registered into ``consilium.core.access`` by ``ActionsConfig.ready()``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from consilium.actions import origins
from consilium.actions.models import Action
from consilium.core import access
from consilium.core.access import AnyUser, Grants
from consilium.core.roles import Role


class Perm(StrEnum):
    ACTION_MINE = "action.mine"
    ACTION_NETWORK = "action.network"
    ACTION_INSTITUTION = "action.institution"
    ACTION_CREATE = "action.create"
    ACTION_VIEW = "action.view"
    ACTION_EDIT = "action.edit"


# Roles that speak for an institution in its actions (record, assign, move, judge them).
COORDINATOR_ROLES = frozenset(
    {Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR, Role.QUALITY_MANAGER}
)
# Roles that read all of their institution's actions.
READER_ROLES = COORDINATOR_ROLES | {Role.AUDITOR}


def coordinated_institution_ids(user: AnyUser) -> list[int]:
    return access.grants(user).holding(COORDINATOR_ROLES)


# --- rules -------------------------------------------------------------------------------


def _is(user: AnyUser, person_id: int | None) -> bool:
    return person_id is not None and user.is_authenticated and user.pk == person_id


def reads_action(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.reads_network:
        return True
    if _is(user, obj.responsible_id):
        return True
    if g.at(obj.institution_id) & READER_ROLES:
        return True
    origin = origins.origin_of_type(obj.origin_type_id)
    if origin is None or obj.origin is None:
        return False
    return bool(origin.parties(obj.origin) & set(g.by_institution))


def changes_action(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.is_network_admin or _is(user, obj.responsible_id):
        return True
    return bool(g.at(obj.institution_id) & COORDINATOR_ROLES)


def reads_institution_actions(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is an institution: its readers, and the network's."""
    if g.reads_network:
        return True
    return bool(g.at(access.institution_id(obj)) & READER_ROLES)


def records_actions(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is the owner institution (None: at some institution)."""
    if g.is_network_admin:
        return True
    if obj is None:
        return bool(g.holding(COORDINATOR_ROLES))
    return bool(g.at(access.institution_id(obj)) & COORDINATOR_ROLES)


RULES: dict[StrEnum, access.Rule] = {
    Perm.ACTION_MINE: access.signed_in,
    Perm.ACTION_NETWORK: access.network_reader,
    Perm.ACTION_INSTITUTION: reads_institution_actions,
    Perm.ACTION_CREATE: records_actions,
    Perm.ACTION_VIEW: reads_action,
    Perm.ACTION_EDIT: changes_action,
}


# --- rows --------------------------------------------------------------------------------


def visible_actions(user: AnyUser) -> QuerySet[Action]:
    """Network readers see all; others their institutions' (by role), their own and those of
    the objects their institutions are parties to."""
    g = access.grants(user)
    if g.reads_network:
        return Action.objects.all()
    if not user.is_authenticated:
        return Action.objects.none()
    mine = Q(responsible_id=user.pk)
    readers = g.holding(READER_ROLES)
    if readers:
        mine |= Q(institution_id__in=readers)
    members = list(g.by_institution)
    if members:
        for origin in origins.origins():
            mine |= Q(
                origin_type=origins.content_type(origin.model),
                origin_id__in=origin.with_parties(members).values("pk"),
            )
    return Action.objects.filter(mine)


def register() -> None:
    access.register_rules(RULES)
    access.register_scope(Action, visible_actions)
