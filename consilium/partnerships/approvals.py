"""Which parties approved the current version of an agreement: reads on the models alone.

The lifecycle's signing guard and the pages (detail, API) ask the same two questions;
``services`` re-exports both under their old names.
"""

from __future__ import annotations

from consilium.core.services import read_only
from consilium.partnerships.models import Agreement, AgreementParty, AgreementVersion


@read_only
def current_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


@read_only
def missing_approvals(agreement: Agreement) -> list[AgreementParty]:
    """Parties that have not approved the current version."""
    version = current_version(agreement)
    parties = list(agreement.parties.select_related("institution"))
    if version is None:
        return parties
    approved = set(
        version.approvals.filter(content_hash=version.content_hash).values_list(
            "party_id", flat=True
        )
    )
    return [p for p in parties if p.pk not in approved]
