"""Who may do what in the directory, and which memberships and institutions one may see.

Registered into ``consilium.core.access`` by ``InstitutionsConfig.ready()``, together with the
loader of the roles a person holds (their memberships).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from consilium.core import access
from consilium.core.access import AnyUser, Grants, institution_id
from consilium.core.roles import NETWORK_ROLES, Role
from consilium.institutions.models import Institution, Membership


class Perm(StrEnum):
    DIRECTORY_VIEW = "directory.view"
    DIRECTORY_EXPORT = "directory.export"
    INSTITUTION_CREATE = "institution.create"
    INSTITUTION_CHANGE = "institution.change"
    INSTITUTION_IMPORT = "institution.import"
    PEOPLE_VIEW = "institution.people.view"
    PEOPLE_MANAGE = "institution.people.manage"


# Roles that may bring new institutions into the directory from a spreadsheet.
IMPORT_ROLES = frozenset({Role.NETWORK_ADMIN, Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR})


def roles_held(user: Any) -> QuerySet[Membership, tuple[int, str]]:
    """(institution id, role) of every membership of ``user``: the grants loader."""
    return Membership.objects.filter(user=user).values_list("institution_id", "role")


# --- rules -------------------------------------------------------------------------------


def manages_institution(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.is_network_admin:
        return True
    return Role.INSTITUTION_ADMIN in g.at(institution_id(obj))


def sees_people(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.reads_network or bool(g.at(institution_id(obj)))


def imports_institutions(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(g.anywhere() & IMPORT_ROLES)


RULES: dict[StrEnum, access.Rule] = {
    Perm.DIRECTORY_VIEW: access.public,
    Perm.DIRECTORY_EXPORT: access.signed_in,
    Perm.INSTITUTION_CREATE: access.network_admin,
    Perm.INSTITUTION_CHANGE: manages_institution,
    Perm.INSTITUTION_IMPORT: imports_institutions,
    Perm.PEOPLE_VIEW: sees_people,
    Perm.PEOPLE_MANAGE: manages_institution,
}


# --- roles one may give ------------------------------------------------------------------


def may_give_role(user: AnyUser, role: str) -> bool:
    """Network-wide roles are given, changed and taken away by network administrators only."""
    return role not in NETWORK_ROLES or access.grants(user).is_network_admin


def grantable_roles(user: AnyUser) -> list[tuple[str, Any]]:
    """The roles this user may give, as (value, label)."""
    return [(value, label) for value, label in Role.choices if may_give_role(user, value)]


def locked_roles(user: AnyUser) -> list[str]:
    """The roles this user may neither give nor change."""
    return [role for role in NETWORK_ROLES if not may_give_role(user, role)]


# --- rows --------------------------------------------------------------------------------


def visible_memberships(user: AnyUser) -> QuerySet[Membership]:
    g = access.grants(user)
    if g.reads_network:
        return Membership.objects.all()
    if not g.by_institution:
        return Membership.objects.none()
    return Membership.objects.filter(institution_id__in=list(g.by_institution))


def visible_institutions(user: AnyUser) -> QuerySet[Institution]:
    """The directory is public: every institution is listed for everyone."""
    return Institution.objects.all()


def register() -> None:
    access.register_grants_loader(roles_held)
    access.register_rules(RULES)
    access.register_scope(Membership, visible_memberships)
    access.register_scope(Institution, visible_institutions)
