"""The agreement lifecycle table (lifecycle.py) as agreement_transition applies it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from consilium.partnerships import lifecycle, services
from consilium.partnerships.tests.factories import approve_all, make_agreement

pytestmark = pytest.mark.django_db


def test_a_renewal_goes_through_renew_and_a_draft_is_told_it_cannot_be_renewed() -> None:
    agreement = make_agreement(valid_from=date(2020, 1, 1), valid_until=date(2021, 12, 31))
    with pytest.raises(ValidationError, match="cannot become Renewed"):
        services.agreement_transition(agreement=agreement, to="renewed", by=None)
    approve_all(agreement)
    for step, data in (
        ("negotiating", {}),
        ("signed", {"signed_on": date(2020, 1, 2)}),
        ("active", {}),
    ):
        agreement = services.agreement_transition(agreement=agreement, to=step, by=None, data=data)
    assert agreement.valid_from == date(2020, 1, 1)  # kept: the start guard fills only a gap
    with pytest.raises(ValidationError, match="Use “Renew”"):
        services.agreement_transition(agreement=agreement, to="renewed", by=None)
    assert lifecycle.allowed(agreement.status) == ("expired", "terminated", "renewed")


def test_the_start_date_defaults_to_the_date_of_signing() -> None:
    agreement = make_agreement(valid_from=None)
    approve_all(agreement)
    services.agreement_transition(agreement=agreement, to="negotiating", by=None)
    services.agreement_transition(
        agreement=agreement, to="signed", by=None, data={"signed_on": date(2024, 5, 6)}
    )
    active = services.agreement_transition(agreement=agreement, to="active", by=None)
    assert (active.signed_on, active.valid_from) == (date(2024, 5, 6), date(2024, 5, 6))
