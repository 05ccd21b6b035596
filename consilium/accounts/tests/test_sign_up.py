"""Sign-up: a new person gets an account, is signed in and goes on where they were going."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from consilium.accounts.models import User
from consilium.accounts.testing import UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/sign-up/"
GOOD = {
    "email": "Aigerim@Example.kz",
    "full_name": "Aigerim Bekova",
    "language": "kk",
    "password1": "Steppe-Wind-2026",
    "password2": "Steppe-Wind-2026",
}


def test_sign_up_signs_in_and_goes_on(client) -> None:
    response = client.post(URL, {**GOOD, "next": "/courses/"})
    assert response.status_code == 302 and response.url == "/courses/"
    user = User.objects.get()
    assert user.email == "aigerim@example.kz" and user.language == "kk"
    assert user.check_password(GOOD["password1"])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"


def test_sign_up_page_is_linked_from_sign_in_and_the_navbar(client) -> None:
    assert URL in client.get(reverse("accounts:login")).content.decode()
    assert URL in client.get("/").content.decode()
    assert client.get(URL).status_code == 200


def test_foreign_next_is_ignored(client) -> None:
    response = client.post(URL, {**GOOD, "next": "https://evil.example/"})
    assert response.url == reverse("courses:my_learning")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password2": "Steppe-Wind-2027"}, "password2", "The two passwords do not match."),
        ({"password1": "123", "password2": "123"}, "password1", "This password is too short."),
        (
            {"password1": "password", "password2": "password"},
            "password1",
            "This password is too common.",
        ),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"full_name": "   "}, "full_name", "This field is required."),
        ({"language": "de"}, "language", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_clearly(client, change, field, message) -> None:
    response = client.post(URL, {**GOOD, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.exists()


def test_existing_address_is_refused_in_any_case(client) -> None:
    UserFactory(email="aigerim@example.kz")
    response = client.post(URL, GOOD)
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert User.objects.count() == 1


def test_failed_sign_ups_are_throttled_per_client(client, settings) -> None:
    settings.SIGNUP_RATE_LIMIT = 2
    for n in range(2):
        client.post(URL, {**GOOD, "email": f"bot{n}@example.kz", "password2": "x"})
    response = client.post(URL, GOOD)
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.exists()
    # Another address is not concerned.
    assert client.post(URL, GOOD, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_successful_sign_ups_do_not_use_up_the_allowance(client, settings) -> None:
    """A class signing up behind one address: only failures count."""
    settings.SIGNUP_RATE_LIMIT = 2
    for n in range(5):
        response = client.post(URL, {**GOOD, "email": f"student{n}@example.kz"})
        assert response.status_code == 302, n
        client.logout()
    client.post(URL, {**GOOD, "email": "typo@example.kz", "password2": "x"})
    assert client.post(URL, {**GOOD, "email": "student9@example.kz"}).status_code == 302
    assert User.objects.count() == 6


def test_probing_taken_addresses_counts_as_failures(client, settings) -> None:
    settings.SIGNUP_RATE_LIMIT = 2
    UserFactory(email="taken@example.kz")
    UserFactory(email="also.taken@example.kz")
    client.post(URL, {**GOOD, "email": "taken@example.kz"})
    client.post(URL, {**GOOD, "email": "also.taken@example.kz"})
    response = client.post(URL, {**GOOD, "email": "third@example.kz"})
    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()
    assert User.objects.count() == 2


def test_signed_in_person_is_sent_on(client) -> None:
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 302
