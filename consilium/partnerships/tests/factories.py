"""Building blocks for partnership tests: agreements made through the services."""

from datetime import date
from typing import Any

from consilium.core.roles import Role
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships import services
from consilium.partnerships.models import Agreement


def make_agreement(*, parties: list[Any] | None = None, by: Any = None, **fields: Any) -> Agreement:
    parties = parties or [InstitutionFactory(), InstitutionFactory(country="US")]
    roles = ["domestic", "foreign", "partner", "partner"]
    data: dict[str, Any] = {
        "kind": "strategic",
        "titles": {"en": "Test partnership", "kk": "Сынақ серіктестігі"},
        "forms": ["consulting", "mentoring"],
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2027, 12, 31),
    }
    data.update(fields)
    return services.agreement_create(
        by=by,
        parties=[
            services.PartyData(institution=inst, role=roles[i]) for i, inst in enumerate(parties)
        ],
        **data,
    )


def coordinators(agreement: Agreement) -> list[Any]:
    """A partnership coordinator for each party, in party order."""
    return [
        member(Role.PARTNERSHIP_COORDINATOR, party.institution)
        for party in agreement.parties.order_by("order")
    ]


def approve_all(agreement: Agreement) -> None:
    version = services.current_version(agreement)
    assert version is not None
    for party in agreement.parties.all():
        services.agreement_approve(
            agreement=agreement, party=party, by=None, version_number=version.number
        )
