"""Sign-in throttling that cannot lock out a campus: failures counted per (account, address)
pair, per account and per address, in the database that every worker shares."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import translation

from consilium.accounts import services
from consilium.accounts.forms import AdminSignInForm
from consilium.accounts.services import SignInRefusal
from consilium.accounts.testing import PASSWORD, UserFactory
from consilium.core import throttle
from consilium.core.models import Throttle
from consilium.core.testing import run_concurrently

LOGIN = "/accounts/sign-in/"
ADMIN_LOGIN = "/admin/login/"
CAMPUS = "203.0.113.7"
WINDOW = timedelta(minutes=15)
REFUSED = "Too many failed attempts"
NETWORK_REFUSED = "Too many failed sign-ins from your network"
WRONG = "The e-mail address or the password is not right."


def sign_in(client: Client, email: str, password: str, *, ip: str = CAMPUS, **headers: str) -> Any:
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip, **headers)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def ip_count(ip: str) -> int:
    return throttle.count(throttle.key("signin:ip", throttle.network(ip)), window=WINDOW)


@pytest.mark.django_db
def test_one_persons_failures_lock_out_nobody_else_behind_the_same_address() -> None:
    UserFactory(email="forgetful@example.kz")
    UserFactory(email="classmate@example.kz")
    forgetful = Client()
    for _ in range(5):
        assert WRONG in sign_in(forgetful, "forgetful@example.kz", "guess").content.decode()
    refused = sign_in(forgetful, "forgetful@example.kz", PASSWORD)
    assert REFUSED in refused.content.decode() and not signed_in(forgetful)
    classmate = Client()
    assert sign_in(classmate, "classmate@example.kz", PASSWORD).status_code == 302
    assert signed_in(classmate)
    # The forgetful one's account is not locked either: from home the password works.
    home = Client()
    assert sign_in(home, "forgetful@example.kz", PASSWORD, ip="198.51.100.20").status_code == 302


@pytest.mark.django_db
def test_guessing_one_account_from_many_addresses_is_limited(settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT_PER_ACCOUNT = 6
    UserFactory(email="target@example.kz")
    for n in range(3):
        for _ in range(2):
            sign_in(Client(), "target@example.kz", "guess", ip=f"198.51.100.{n}")
    owner = Client()
    response = sign_in(owner, "target@example.kz", PASSWORD, ip="192.0.2.1")
    assert REFUSED in response.content.decode() and not signed_in(owner)


@pytest.mark.django_db
def test_one_address_cannot_lock_the_account_out_for_everyone() -> None:
    """Attempts refused for the pair do not add to the account's count."""
    UserFactory(email="target@example.kz")
    attacker = Client()
    for _ in range(30):
        sign_in(attacker, "target@example.kz", "guess", ip="198.51.100.66")
    account = throttle.key("signin:account", "target@example.kz")
    assert throttle.count(account, window=WINDOW) == 5
    owner = Client()
    assert sign_in(owner, "target@example.kz", PASSWORD, ip="192.0.2.1").status_code == 302


@pytest.mark.django_db
def test_a_password_spray_from_one_address_is_limited_across_accounts(
    settings: Any,
) -> None:
    settings.LOGIN_RATE_LIMIT_PER_IP = 3
    UserFactory(email="victim@example.kz")
    sprayer = Client()
    for n in range(3):
        sign_in(sprayer, f"spray{n}@example.kz", "guess")
    response = sign_in(sprayer, "victim@example.kz", PASSWORD)
    assert NETWORK_REFUSED in response.content.decode() and not signed_in(sprayer)
    elsewhere = Client()
    assert sign_in(elsewhere, "victim@example.kz", PASSWORD, ip="192.0.2.1").status_code == 302


@pytest.mark.django_db
def test_a_success_forgives_the_pair_and_the_account_but_not_the_address() -> None:
    UserFactory(email="typo@example.kz")
    for _round in range(3):
        client = Client()
        for _ in range(4):
            sign_in(client, "typo@example.kz", "guess")
        assert sign_in(client, "typo@example.kz", PASSWORD).status_code == 302
    pair = throttle.key("signin:pair", "typo@example.kz", CAMPUS)
    account = throttle.key("signin:account", "typo@example.kz")
    assert throttle.count(pair, window=WINDOW) == 0
    assert throttle.count(account, window=WINDOW) == 0
    assert ip_count(CAMPUS) == 12  # a known password does not reset a spray's count


@pytest.mark.django_db
def test_the_counters_hold_no_e_mail_or_ip_address() -> None:
    sign_in(Client(), "Secret.Person@Example.kz", "guess", ip="198.51.100.77")
    keys = list(Throttle.objects.values_list("key", flat=True))
    assert len(keys) == 3
    assert not any("secret" in key.lower() or "198.51" in key for key in keys)


@pytest.mark.django_db
def test_the_e_mail_counts_whatever_its_case_and_spaces() -> None:
    UserFactory(email="case@example.kz")
    client = Client()
    for variant in ["case@example.kz", "CASE@example.kz", "Case@Example.KZ", " case@example.kz"]:
        sign_in(client, variant, "guess")
    sign_in(client, "case@EXAMPLE.kz", "guess")
    assert REFUSED in sign_in(client, "case@example.kz", PASSWORD).content.decode()


@pytest.mark.django_db
def test_an_ipv6_client_counts_as_its_64() -> None:
    UserFactory(email="v6@example.kz")
    client = Client()
    for n in range(5):
        sign_in(client, "v6@example.kz", "guess", ip=f"2001:db8:1:2::{n + 1}")
    response = sign_in(client, "v6@example.kz", PASSWORD, ip="2001:db8:1:2:ffff::9")
    assert REFUSED in response.content.decode()


@pytest.mark.django_db
def test_a_forwarded_address_from_an_untrusted_client_changes_nothing() -> None:
    """Without trusted proxies, a guesser who writes a new X-Forwarded-For each time is still
    one address."""
    UserFactory(email="target@example.kz")
    client = Client()
    for n in range(5):
        sign_in(client, "target@example.kz", "guess", ip=CAMPUS, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = sign_in(
        client, "target@example.kz", PASSWORD, ip=CAMPUS, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert REFUSED in response.content.decode() and not signed_in(client)


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_counts_as_its_own_address(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.LOGIN_RATE_LIMIT_PER_IP = 3
    UserFactory(email="student@example.kz")
    sprayer = Client()
    for n in range(3):
        sign_in(
            sprayer, f"spray{n}@example.kz", "x", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9"
        )
    assert ip_count("198.51.100.9") == 3 and ip_count("10.0.0.1") == 0
    blocked = sign_in(
        sprayer, "student@example.kz", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert NETWORK_REFUSED in blocked.content.decode()
    student = Client()
    response = sign_in(
        student,
        "student@example.kz",
        PASSWORD,
        ip="10.0.0.1",
        # What the client wrote (left) is ignored; the proxy appended the real address.
        HTTP_X_FORWARDED_FOR="198.51.100.9, 198.51.100.10",
    )
    assert response.status_code == 302 and signed_in(student)


@pytest.mark.django_db
def test_the_refusal_is_translated(settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = 1
    settings.LOGIN_RATE_LIMIT_PER_IP = 2
    UserFactory(email="ru@example.kz")
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    sign_in(client, "ru@example.kz", "guess")
    page = sign_in(client, "ru@example.kz", PASSWORD).content.decode()
    assert "Слишком много неудачных попыток. Подождите 15 минут" in page
    sign_in(client, "other@example.kz", "guess")
    page = sign_in(client, "third@example.kz", "guess").content.decode()
    assert "Слишком много неудачных входов из вашей сети. Подождите 15 минут" in page


@pytest.mark.parametrize(
    ("language", "minutes", "expected"),
    [
        ("ru", 1, "Подождите 1 минуту"),
        ("ru", 3, "Подождите 3 минуты"),
        ("uk", 1, "Зачекайте 1 хвилину"),
        ("uk", 5, "Зачекайте 5 хвилин"),
        ("kk", 15, "15 минут күтіп"),
        ("en", 1, "Wait 1 minute and"),
    ],
)
def test_the_network_refusal_has_its_plural_forms(
    settings: Any, language: str, minutes: int, expected: str
) -> None:
    from consilium.accounts.forms import _signin_refused

    settings.LOGIN_RATE_WINDOW = minutes * 60
    with translation.override(language):
        message = " ".join(_signin_refused(SignInRefusal.NETWORK).messages)
    assert expected in message


@pytest.mark.django_db
def test_a_password_reset_forgives_the_account_and_the_resetting_address(
    settings: Any,
) -> None:
    settings.LOGIN_RATE_LIMIT_PER_ACCOUNT = 10
    user = UserFactory(email="lost@example.kz")
    for n in range(2):
        for _ in range(7):
            sign_in(Client(), "lost@example.kz", "guess", ip=f"198.51.100.{n}")
    assert (
        REFUSED in sign_in(Client(), "lost@example.kz", PASSWORD, ip="192.0.2.9").content.decode()
    )
    services.user_password_reset(user=user, password="A-new-Steppe-7", client="198.51.100.0")
    for ip in ["198.51.100.0", "192.0.2.9"]:
        assert sign_in(Client(), "lost@example.kz", "A-new-Steppe-7", ip=ip).status_code == 302
    # The other address's own failures stay (it did not reset anything).
    assert (
        REFUSED
        in sign_in(
            Client(), "lost@example.kz", "A-new-Steppe-7", ip="198.51.100.1"
        ).content.decode()
    )


@pytest.mark.django_db
def test_the_admin_sign_in_goes_through_the_same_throttle() -> None:
    assert admin.site.login_form is AdminSignInForm
    UserFactory(email="root@example.kz", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(5):
        response = client.post(
            ADMIN_LOGIN, {"username": "root@example.kz", "password": "guess"}, REMOTE_ADDR=CAMPUS
        )
        assert response.status_code == 200
    response = client.post(
        ADMIN_LOGIN, {"username": "root@example.kz", "password": PASSWORD}, REMOTE_ADDR=CAMPUS
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to sign in


@pytest.mark.django_db
def test_admin_and_sign_in_page_share_the_counters() -> None:
    UserFactory(email="root@example.kz", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(3):
        sign_in(client, "root@example.kz", "guess")
    for _ in range(2):
        client.post(
            ADMIN_LOGIN, {"username": "root@example.kz", "password": "guess"}, REMOTE_ADDR=CAMPUS
        )
    assert REFUSED in sign_in(client, "root@example.kz", PASSWORD).content.decode()


@pytest.mark.django_db
def test_the_admin_still_lets_staff_in_and_keeps_others_out() -> None:
    UserFactory(email="root@example.kz", is_staff=True, is_superuser=True)
    UserFactory(email="learner@example.kz")
    learner = Client()
    response = learner.post(
        ADMIN_LOGIN, {"username": "learner@example.kz", "password": PASSWORD}, REMOTE_ADDR=CAMPUS
    )
    assert response.status_code == 200 and not signed_in(learner)
    # The right password of someone not let in is no guess: nothing left counted for the pair.
    pair = throttle.key("signin:pair", "learner@example.kz", CAMPUS)
    assert throttle.count(pair, window=WINDOW) == 0
    staff = Client()
    response = staff.post(
        ADMIN_LOGIN, {"username": "root@example.kz", "password": PASSWORD}, REMOTE_ADDR=CAMPUS
    )
    assert response.status_code == 302 and signed_in(staff)


@pytest.mark.django_db
def test_a_malformed_sign_in_counts_nothing() -> None:
    client = Client()
    client.post(LOGIN, {"username": "not-an-address", "password": "x"}, REMOTE_ADDR=CAMPUS)
    client.post(LOGIN, {"username": "a@example.kz", "password": ""}, REMOTE_ADDR=CAMPUS)
    client.post(LOGIN, {}, REMOTE_ADDR=CAMPUS)
    assert not Throttle.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_from_one_address_count_every_one() -> None:
    n = 6
    for k in range(n):
        UserFactory(email=f"person{k}@example.kz")

    def fail(k: int) -> Any:
        return lambda: sign_in(Client(), f"person{k}@example.kz", "guess").status_code

    assert run_concurrently(*[fail(k) for k in range(n)]) == [200] * n
    assert ip_count(CAMPUS) == n


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_at_one_account_get_exactly_the_limit_checked(
    settings: Any,
) -> None:
    """Workers racing cannot let more guesses through than the limit (3 workers let 11
    through instead of 5 when each had its own in-memory count)."""
    settings.LOGIN_RATE_LIMIT = 3
    UserFactory(email="target@example.kz")

    def guess() -> str:
        return str(sign_in(Client(), "target@example.kz", "guess").content.decode())

    pages = run_concurrently(*[guess] * 8)
    assert sum(WRONG in page for page in pages) == 3, pages
    assert sum(REFUSED in page for page in pages) == 5


def test_the_limits_come_from_the_environment() -> None:
    names = [
        "LOGIN_RATE_LIMIT",
        "LOGIN_RATE_LIMIT_PER_ACCOUNT",
        "LOGIN_RATE_LIMIT_PER_IP",
        "LOGIN_RATE_WINDOW",
        "SIGNUP_RATE_LIMIT",
        "PASSWORD_RESET_RATE_LIMIT",
        "PASSWORD_RESET_RATE_LIMIT_PER_IP",
        "PASSWORD_RESET_RATE_WINDOW",
    ]
    expression = "[" + ", ".join(f"s.{name}" for name in names) + "]"

    def read(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        base = {k: v for k, v in os.environ.items() if k not in names}
        return subprocess.run(
            [sys.executable, "-c", f"import consilium.settings as s; print({expression})"],
            env={**base, "CONSILIUM_ENV": "test", **env},
            capture_output=True,
            text=True,
            check=False,
        )

    defaults = read({})
    assert defaults.stdout.strip() == "[5, 20, 100, 900, 20, 3, 20, 3600]", defaults.stderr
    changed = read({name: str(n + 2) for n, name in enumerate(names)})
    assert changed.stdout.strip() == "[2, 3, 4, 5, 6, 7, 8, 9]", changed.stderr
    too_long = read({"LOGIN_RATE_WINDOW": str(8 * 24 * 3600)})
    assert too_long.returncode != 0 and "LOGIN_RATE_WINDOW" in too_long.stderr
    empty = read({"PASSWORD_RESET_RATE_WINDOW": "0"})
    assert empty.returncode != 0 and "PASSWORD_RESET_RATE_WINDOW" in empty.stderr
