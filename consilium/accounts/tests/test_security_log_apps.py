"""The security events other apps record through ``accounts.services.security_event_record``:
role changes and removals, accepted invitations (the directory), certificate revocations and
signing-key use (certificates)."""

from __future__ import annotations

import pytest

from consilium.accounts.models import EventKind, SecurityEvent
from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.institutions import services as directory
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory, member


@pytest.mark.django_db
def test_role_changes_and_removals_are_recorded() -> None:
    institution = InstitutionFactory()
    admin_user = member(Role.INSTITUTION_ADMIN, institution)
    teacher = member(Role.TEACHER, institution)
    membership = Membership.objects.get(user=teacher)
    SecurityEvent.objects.all().delete()
    directory.membership_change_role(membership=membership, role=Role.COURSE_AUTHOR, by=admin_user)
    directory.membership_remove(membership=membership, by=admin_user)
    changed, removed = SecurityEvent.objects.order_by("pk")
    assert changed.kind == EventKind.ROLE_CHANGED and changed.actor == admin_user
    assert changed.subject == teacher.email and changed.institution_id == institution.pk
    assert changed.details == {"from": Role.TEACHER, "to": Role.COURSE_AUTHOR}
    assert removed.kind == EventKind.MEMBERSHIP_REMOVED
    assert removed.details == {"role": Role.COURSE_AUTHOR}


@pytest.mark.django_db
def test_an_accepted_invitation_is_recorded() -> None:
    institution = InstitutionFactory()
    inviter = member(Role.INSTITUTION_ADMIN, institution)
    invited = directory.invitation_create(
        institution=institution, email="new@example.org", role=Role.TEACHER, invited_by=inviter
    ).invitation
    SecurityEvent.objects.all().delete()
    person = UserFactory(email="new@example.org")
    directory.invitation_accept(invitation=invited, user=person)
    event = SecurityEvent.objects.get()
    assert (event.kind, event.actor, event.institution_id) == (
        EventKind.ROLE_GIVEN,
        person,
        institution.pk,
    )


@pytest.mark.django_db
def test_certificate_revocations_and_signing_key_use_are_recorded() -> None:
    from consilium.certificates import services as certificates
    from consilium.certificates.tests.factories import completed

    certificate = certificates.certificate_issue(enrolment=completed())
    used = SecurityEvent.objects.filter(kind=EventKind.SIGNING_KEY_USED)
    assert used.exists() and used.first().institution_id == certificate.issuer_id
    revoker = UserFactory()
    certificates.certificate_revoke(certificate=certificate, by=revoker, reason="Plagiarism")
    event = SecurityEvent.objects.get(kind=EventKind.CERTIFICATE_REVOKED)
    assert (event.actor, event.subject, event.institution_id) == (
        revoker,
        certificate.code,
        certificate.issuer_id,
    )
    assert event.details == {"reason": "Plagiarism"}
