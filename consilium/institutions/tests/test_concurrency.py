"""Accepting one invitation several times at once, under real concurrent transactions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from consilium.accounts.models import User
from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.core.testing import run_concurrently
from consilium.institutions import services
from consilium.institutions.models import Invitation, Membership
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db(transaction=True)


def _invitation(email: str) -> Invitation:
    institution = InstitutionFactory()
    admin = member(Role.INSTITUTION_ADMIN, institution)
    return services.invitation_create(
        institution=institution, email=email, role=Role.TEACHER, invited_by=admin
    ).invitation


def test_a_newcomer_accepting_five_times_at_once_gets_one_account_and_one_role() -> None:
    invitation = _invitation("new.teacher@example.org")
    outcomes = run_concurrently(
        *[
            lambda: services.invitation_accept(
                invitation=invitation, full_name="New Teacher", password="a-long-pass-phrase-1"
            )
        ]
        * 5
    )
    memberships = [o for o in outcomes if isinstance(o, Membership)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(memberships) == 1 and len(refused) == 4, outcomes
    assert User.objects.filter(email__iexact="new.teacher@example.org").count() == 1
    assert (
        Membership.objects.filter(institution=invitation.institution, role=Role.TEACHER).count()
        == 1
    )


def test_a_signed_in_person_accepting_five_times_at_once_gets_the_role_once() -> None:
    person = UserFactory(email="known@example.org")
    invitation = _invitation("known@example.org")
    outcomes = run_concurrently(
        *[lambda: services.invitation_accept(invitation=invitation, user=person)] * 5
    )
    assert sum(isinstance(o, Membership) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, (Membership, ValidationError)) for o in outcomes), outcomes
    assert Membership.objects.filter(user=person, role=Role.TEACHER).count() == 1
