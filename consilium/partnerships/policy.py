"""Who may do what with programmes and agreements, and which agreements one may see.

Registered into ``consilium.core.access`` by ``PartnershipsConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from consilium.core import access
from consilium.core.access import AnyUser, Grants
from consilium.core.roles import Role
from consilium.institutions.models import Institution
from consilium.partnerships.models import Agreement, AgreementParty


class Perm(StrEnum):
    PROGRAMME_VIEW = "programme.view"
    PROGRAMME_MANAGE = "programme.manage"
    AGREEMENT_LIST = "agreement.list"
    AGREEMENT_CREATE = "agreement.create"
    AGREEMENT_PROPOSE = "agreement.propose"
    AGREEMENT_VIEW = "agreement.view"
    AGREEMENT_EDIT = "agreement.edit"
    AGREEMENT_DOCUMENTS = "agreement.documents"
    AGREEMENT_APPROVE = "agreement.approve"


# Roles that speak for an institution in its agreements.
COORDINATOR_ROLES = frozenset({Role.PARTNERSHIP_COORDINATOR, Role.INSTITUTION_ADMIN})


def _party_ids(agreement: Any) -> set[int]:
    """Institutions that are parties to an agreement (uses prefetched parties if there)."""
    return {party.institution_id for party in agreement.parties.all()}


def coordinated_institution_ids(user: AnyUser) -> list[int]:
    """Institutions this user speaks for in agreements (as coordinator or administrator)."""
    return access.grants(user).holding(COORDINATOR_ROLES)


def member_institution_ids(user: AnyUser) -> set[int]:
    """Institutions where this user holds any role (the local side of an EWP export)."""
    return set(access.grants(user).by_institution)


# --- rules -------------------------------------------------------------------------------


def reads_agreement(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.reads_network:
        return True
    if not g.by_institution:
        return False
    return bool(obj.is_public) or bool(_party_ids(obj) & set(g.by_institution))


def sees_agreement_documents(user: AnyUser, g: Grants, obj: Any) -> bool:
    """Signed scans and annexes: the parties' coordinators and administrators (least
    privilege: a learner or teacher at a party has no business with them) and the network's
    readers."""
    if g.reads_network:
        return True
    return any(g.at(institution_id) & COORDINATOR_ROLES for institution_id in _party_ids(obj))


def coordinates_party(user: AnyUser, g: Grants, obj: Any) -> bool:
    """A partnership coordinator (or administrator) of one of the agreement's parties."""
    if g.is_network_admin:
        return True
    return any(g.at(institution_id) & COORDINATOR_ROLES for institution_id in _party_ids(obj))


def approves_for_party(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is an AgreementParty: its own coordinators approve for it."""
    return bool(g.at(obj.institution_id) & COORDINATOR_ROLES)


def creates_agreements(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.is_network_admin or any(
        roles & COORDINATOR_ROLES for roles in g.by_institution.values()
    )


def proposes_between(user: AnyUser, g: Grants, obj: Iterable[int] | None) -> bool:
    """``obj`` is the parties' institution ids: the proposer must speak for one of them."""
    if g.is_network_admin:
        return True
    return any(g.at(institution_id) & COORDINATOR_ROLES for institution_id in obj or ())


def manages_programmes(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.is_network_admin:
        return True
    if obj is not None:
        return Role.INSTITUTION_ADMIN in g.at(obj.owner_id) and obj.owner.kind == "ministry"
    ministries = Institution.objects.filter(
        pk__in=[pk for pk, roles in g.by_institution.items() if Role.INSTITUTION_ADMIN in roles],
        kind="ministry",
    )
    return ministries.exists()


RULES: dict[StrEnum, access.Rule] = {
    Perm.PROGRAMME_VIEW: access.member_anywhere,
    Perm.PROGRAMME_MANAGE: manages_programmes,
    Perm.AGREEMENT_LIST: access.member_anywhere,
    Perm.AGREEMENT_CREATE: creates_agreements,
    Perm.AGREEMENT_PROPOSE: proposes_between,
    Perm.AGREEMENT_VIEW: reads_agreement,
    Perm.AGREEMENT_EDIT: coordinates_party,
    Perm.AGREEMENT_DOCUMENTS: sees_agreement_documents,
    Perm.AGREEMENT_APPROVE: approves_for_party,
}


# --- rows --------------------------------------------------------------------------------


def visible_agreements(user: AnyUser) -> QuerySet[Agreement]:
    """Network readers see all; members see public ones and their institutions' own."""
    g = access.grants(user)
    if g.reads_network:
        return Agreement.objects.all()
    if not g.by_institution:
        return Agreement.objects.none()
    own = AgreementParty.objects.filter(
        agreement=OuterRef("pk"), institution_id__in=list(g.by_institution)
    )
    return Agreement.objects.filter(Q(is_public=True) | Exists(own))


def register() -> None:
    access.register_rules(RULES)
    access.register_scope(Agreement, visible_agreements)
