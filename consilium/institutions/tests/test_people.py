import re

import pytest
from django.core import mail
from django.urls import reverse

from consilium.accounts.models import User
from consilium.accounts.testing import PASSWORD, UserFactory
from consilium.core.roles import Role
from consilium.institutions.models import Invitation, Membership
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution():
    return InstitutionFactory(name_en="Aral Medical College")


@pytest.fixture
def admin(client, institution):
    user = member(Role.INSTITUTION_ADMIN, institution)
    client.force_login(user)
    return user


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """Post the invitation form; the e-mail goes out when the transaction commits."""

    def post(institution, email="newcomer@example.org", role="teacher"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("institutions:invite", args=[institution.pk]),
                {"email": email, "role": role},
                follow=True,
            )

    return post


def _link() -> str:
    return re.search(r"http://\S+/institutions/invitations/\S+/", mail.outbox[-1].body).group(0)


def test_newcomer_accepts_an_invitation_and_gets_the_role(
    client, institution, admin, invite
) -> None:
    response = invite(institution)
    assert "An invitation is sent to newcomer@example.org" in response.content.decode()
    assert len(mail.outbox) == 1 and "Aral Medical College" in mail.outbox[0].subject
    link = _link()
    client.logout()
    path = link.split("8000", 1)[-1] if "8000" in link else link
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(
        path,
        {"full_name": "New Comer", "password1": "Steppe-Horse-42", "password2": "Steppe-Horse-42"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert Membership.objects.filter(user=user, institution=institution, role="teacher").exists()
    assert client.get(path).status_code == 410  # used once


def test_weak_or_mismatched_password_creates_nothing(client, institution, admin, invite) -> None:
    invite(institution)
    path = "/" + _link().split("/", 3)[3]
    client.logout()
    for p1, p2 in (("short", "short"), ("Steppe-Horse-42", "Other-Horse-42")):
        response = client.post(path, {"full_name": "X", "password1": p1, "password2": p2})
        assert response.status_code == 200
    assert not User.objects.filter(email="newcomer@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_existing_person_signs_in_to_accept(client, institution, admin, invite) -> None:
    existing = UserFactory(email="known@example.org")
    invite(institution, email="KNOWN@example.org", role="methodologist")
    path = "/" + _link().split("/", 3)[3]
    client.logout()
    assert "Sign in with it" in client.get(path).content.decode()
    client.login(username="known@example.org", password=PASSWORD)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=existing, role="methodologist").exists()


def test_invitation_for_someone_else_is_refused(client, institution, admin, invite) -> None:
    invite(institution, email="intended@example.org")
    path = "/" + _link().split("/", 3)[3]
    intruder = UserFactory()
    client.force_login(intruder)
    response = client.post(path, follow=True)
    assert "sign in with that address" in response.content.decode()
    assert not Membership.objects.filter(user=intruder).exists()


def test_duplicate_invitation_and_bad_role_are_refused(client, institution, admin, invite) -> None:
    invite(institution)
    again = invite(institution)
    assert "already been invited" in again.content.decode()
    bad = invite(institution, email="x@example.org", role="emperor")
    assert "Select a valid choice" in bad.content.decode()
    bad_email = invite(institution, email="not-an-email")
    assert "valid email" in bad_email.content.decode()
    assert Invitation.objects.count() == 1


def test_admin_changes_and_removes_roles(client, institution, admin) -> None:
    teacher = member(Role.TEACHER, institution)
    membership = Membership.objects.get(user=teacher)
    url = reverse("institutions:membership_role", args=[institution.pk, membership.pk])
    client.post(url, {"role": "methodologist"})
    membership.refresh_from_db()
    assert membership.role == "methodologist"
    client.post(reverse("institutions:membership_remove", args=[institution.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_last_administrator_cannot_be_removed(client, institution, admin) -> None:
    own = Membership.objects.get(user=admin)
    response = client.post(
        reverse("institutions:membership_remove", args=[institution.pk, own.pk]), follow=True
    )
    assert "at least one administrator" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_one_person_holds_different_roles_at_different_institutions(client) -> None:
    person = member(Role.PARTNERSHIP_COORDINATOR)
    college = InstitutionFactory(kind="college")
    Membership.objects.create(user=person, institution=college, role=Role.LEARNER)
    client.force_login(person)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Partnership coordinator" in profile and "Learner" in profile


def test_membership_of_another_institution_cannot_be_reached_through_own(
    client, institution, admin
) -> None:
    elsewhere = member(Role.TEACHER)
    foreign = Membership.objects.get(user=elsewhere)
    url = reverse("institutions:membership_remove", args=[institution.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_cancelled_invitation_no_longer_works(client, institution, admin, invite) -> None:
    invite(institution)
    invitation = Invitation.objects.get()
    path = "/" + _link().split("/", 3)[3]
    client.post(reverse("institutions:invitation_cancel", args=[institution.pk, invitation.pk]))
    client.logout()
    assert client.get(path).status_code == 410


@pytest.mark.parametrize("role", ["network_admin", "ministry_observer"])
def test_an_institution_admin_cannot_give_network_wide_roles(
    client, institution, admin, invite, role
) -> None:
    response = invite(institution, email="climber@example.org", role=role)
    assert Invitation.objects.count() == 0
    assert "Select a valid choice" in response.content.decode()
    teacher = member(Role.TEACHER, institution)
    membership = Membership.objects.get(user=teacher)
    client.post(
        reverse("institutions:membership_role", args=[institution.pk, membership.pk]),
        {"role": role},
    )
    membership.refresh_from_db()
    assert membership.role == "teacher"
    page = client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()
    assert f'value="{role}"' not in page


def test_an_institution_admin_cannot_remove_a_network_role(client, institution, admin) -> None:
    observer = member(Role.MINISTRY_OBSERVER, institution)
    membership = Membership.objects.get(user=observer)
    client.post(reverse("institutions:membership_remove", args=[institution.pk, membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_network_admin_may_give_network_roles(client, institution) -> None:
    from consilium.institutions import services

    network_admin = member(Role.NETWORK_ADMIN)
    sent = services.invitation_create(
        institution=institution,
        email="obs@example.org",
        role="ministry_observer",
        invited_by=network_admin,
    )
    assert sent.invitation.role == "ministry_observer"
