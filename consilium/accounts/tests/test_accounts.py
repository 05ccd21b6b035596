import re

import pytest
from django.core import mail
from django.urls import reverse

from consilium.accounts.models import ApiToken, User
from consilium.accounts.services import api_token_authenticate, api_token_create, api_token_hash
from consilium.accounts.testing import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/sign-in/"


def test_sign_in_with_email_any_case(client) -> None:
    UserFactory(email="aigerim@example.kz")
    response = client.post(LOGIN, {"username": "Aigerim@Example.kz", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_password_is_refused_clearly(client) -> None:
    UserFactory(email="a@example.kz")
    response = client.post(LOGIN, {"username": "a@example.kz", "password": "nope"})
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.content.decode()


def test_sign_in_is_rate_limited_per_account_and_client(client, settings) -> None:
    settings.LOGIN_RATE_LIMIT = 3
    UserFactory(email="target@example.kz")
    for _ in range(3):
        client.post(LOGIN, {"username": "target@example.kz", "password": "guess"})
    response = client.post(LOGIN, {"username": "target@example.kz", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_is_rate_limited_per_client_across_accounts(client, settings) -> None:
    # Far above the per-account limit (test_throttling.py: one campus, one address).
    settings.LOGIN_RATE_LIMIT_PER_IP = 3
    UserFactory(email="victim@example.kz")
    for n in range(3):
        client.post(LOGIN, {"username": f"spray{n}@example.kz", "password": "guess"})
    response = client.post(LOGIN, {"username": "victim@example.kz", "password": PASSWORD})
    assert "Too many failed sign-ins from your network" in response.content.decode()


def test_password_reset_by_email(client, django_capture_on_commit_callbacks) -> None:
    user = UserFactory(email="forgetful@example.kz")
    _token, raw = api_token_create(user=user, name="script")
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued on commit
        client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.kz"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Another-Steppe-9", "new_password2": "Another-Steppe-9"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-Steppe-9")
    # Whoever reset the password may have lost the old one to someone who also made tokens.
    assert api_token_authenticate(raw) is None
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_password_reset_for_unknown_address_says_nothing_more(
    client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "ghost@example.kz"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_language_choice_is_kept_in_the_profile(client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("core:set_language"), {"language": "kk", "next": "/"})
    user.refresh_from_db()
    assert user.language == "kk"
    client.cookies.clear()
    client.force_login(user)
    assert '<html lang="kk">' in client.get("/").content.decode()


def test_signing_in_restores_the_chosen_language(client) -> None:
    UserFactory(email="uk@example.org", language="uk")
    response = client.post(LOGIN, {"username": "uk@example.org", "password": PASSWORD})
    assert response.cookies["consilium_language"].value == "uk"


def test_unknown_language_is_refused(client) -> None:
    assert client.post(reverse("core:set_language"), {"language": "xx"}).status_code == 400


def test_language_switch_does_not_redirect_off_site(client) -> None:
    response = client.post(
        reverse("core:set_language"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_profile_rejects_bad_input(client) -> None:
    user = UserFactory(full_name="Before")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"full_name": "", "language": "zz"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.full_name == "Before"


def test_token_is_shown_once_and_stored_hashed(client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "nightly export"})
    raw = re.search(r'value="(cns_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == api_token_hash(raw) and raw not in token.token_hash
    assert raw not in client.get(reverse("accounts:tokens")).content.decode()
    assert api_token_authenticate(raw) == user


def test_token_without_a_name_is_refused(client) -> None:
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert ApiToken.objects.count() == 0


def test_revoked_token_stops_working(client) -> None:
    user = UserFactory()
    token, raw = api_token_create(user=user, name="script")
    client.force_login(user)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api_token_authenticate(raw) is None
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me/", **headers).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client) -> None:
    token, _raw = api_token_create(user=UserFactory(), name="theirs")
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404


def test_deactivated_person_token_is_refused() -> None:
    user = UserFactory()
    _token, raw = api_token_create(user=user, name="script")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert api_token_authenticate(raw) is None


def test_email_is_unique_whatever_the_case() -> None:
    UserFactory(email="same@example.org")
    with pytest.raises(Exception):
        User.objects.create(email="SAME@example.org", full_name="Twin")
