"""Reads of the directory, already scoped by the access policy and already joined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet

from consilium.core.text import is_number as _is_number
from consilium.core.text import prefix_range, search_key
from consilium.institutions.countries import COUNTRY_CODES
from consilium.institutions.models import (
    Institution,
    InstitutionKind,
    Invitation,
    Membership,
    SearchWord,
)
from consilium.institutions.policy import visible_institutions, visible_memberships


@dataclass(frozen=True)
class DirectoryFilter:
    """The filters the list page and the API list share."""

    q: str = ""
    kind: str = ""
    country: str = ""
    parent: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> DirectoryFilter:
        kind = params.get("kind", "") or ""
        country = (params.get("country", "") or "").upper()
        parent_raw = params.get("parent") or ""
        return cls(
            q=(params.get("q", "") or "")[:200],
            kind=kind if kind in InstitutionKind.values else "",
            country=country if country in COUNTRY_CODES else "",
            parent=int(parent_raw) if _is_number(str(parent_raw)) else None,
        )


def institution_list(user: Any, flt: DirectoryFilter | None = None) -> QuerySet[Institution]:
    flt = flt or DirectoryFilter()
    qs = visible_institutions(user).select_related("parent")
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.country:
        qs = qs.filter(country=flt.country)
    if flt.parent is not None:
        qs = qs.filter(parent_id=flt.parent)
    key = search_key(flt.q) if flt.q else ""
    for word in key.split()[:8]:
        low, high = prefix_range(word[:60])
        qs = qs.filter(
            pk__in=SearchWord.objects.filter(word__gte=low, word__lt=high).values("institution_id")
        )
    return qs.order_by("name_key", "id")


def institution_detail(user: Any, pk: int) -> Institution:
    return visible_institutions(user).select_related("parent").get(pk=pk)


def institution_branches(institution: Institution) -> QuerySet[Institution]:
    return institution.branches.order_by("name_key")


def institution_people(user: Any, institution: Institution) -> QuerySet[Membership]:
    return (
        visible_memberships(user)
        .filter(institution=institution)
        .select_related("user")
        .order_by("user__full_name", "role")
    )


def invitation_list_open(institution: Institution) -> QuerySet[Invitation]:
    return institution.invitations.filter(
        accepted_at__isnull=True, cancelled_at__isnull=True
    ).select_related("invited_by")


def membership_list_of_user(user: Any) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("institution")


def network_figures() -> dict[str, Any]:
    """Counts for the home page; cached briefly, they change rarely."""
    figures = cache.get("network_figures")
    if figures is None:
        by_kind = dict(Institution.objects.values_list("kind").annotate(n=Count("id")).order_by())
        figures = {
            "institutions": sum(by_kind.values()),
            "countries": Institution.objects.values("country").distinct().count(),
            "people": Membership.objects.values("user").distinct().count(),
            "by_kind": by_kind,
        }
        cache.set("network_figures", figures, 60)
    labelled = [
        (value, label, figures["by_kind"].get(value, 0)) for value, label in InstitutionKind.choices
    ]
    return {**figures, "by_kind": labelled}
