"""Agreements waiting for the reader's approval: drafts whose current version a party the
reader coordinates has not approved (the personal home's panel)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from consilium.partnerships import lifecycle
from consilium.partnerships.models import Agreement, AgreementParty, AgreementVersion, Approval
from consilium.partnerships.policy import coordinated_institution_ids, visible_agreements


def agreement_list_awaiting_approval(user: Any) -> QuerySet[Agreement]:
    """Drafts with a version where an institution the person speaks for (as coordinator or
    administrator) has not approved that version's content; the latest change first.

    Each row carries ``version_number``, the version to approve."""
    institution_ids = coordinated_institution_ids(user)
    if not institution_ids:
        return Agreement.objects.none()
    latest = AgreementVersion.objects.filter(agreement_id=OuterRef("pk")).order_by("-number")
    approved = Approval.objects.filter(
        party_id=OuterRef("pk"),
        version_id=OuterRef(OuterRef("version_id")),
        content_hash=OuterRef(OuterRef("version_hash")),
    )
    waiting = AgreementParty.objects.filter(
        agreement_id=OuterRef("pk"), institution_id__in=institution_ids
    ).filter(~Exists(approved))
    return (
        visible_agreements(user)
        .filter(status__in=lifecycle.DRAFT)
        .annotate(
            version_id=Subquery(latest.values("pk")[:1]),
            version_hash=Subquery(latest.values("content_hash")[:1]),
            version_number=Subquery(latest.values("number")[:1]),
        )
        .filter(version_id__isnull=False)
        .filter(Exists(waiting))
        .order_by("-updated_at", "-id")
    )
