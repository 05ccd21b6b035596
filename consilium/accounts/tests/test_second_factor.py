"""The second factor: TOTP (RFC 6238) with a QR code, recovery codes, the second sign-in step
(the sign-in page's and the admin's), its throttle, and the network administrator's
requirement for administrators."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client

from consilium.accounts import services, totp
from consilium.accounts.models import EventKind, RecoveryCode, SecondFactor, SecurityEvent, User
from consilium.accounts.testing import PASSWORD, UserFactory
from consilium.core.roles import Role
from consilium.institutions.testing import member

LOGIN = "/accounts/sign-in/"
CODE = "/accounts/sign-in/code/"
ADMIN_LOGIN = "/admin/login/"
SETUP = "/accounts/second-factor/"
CAMPUS = "203.0.113.7"

# RFC 6238, appendix B: the SHA-1 seed "12345678901234567890", eight digits.
RFC_6238 = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("moment", "expected"), RFC_6238)
def test_totp_matches_the_rfc_6238_vectors(moment: int, expected: str) -> None:
    key = b"12345678901234567890"
    assert totp.hotp(key, moment // totp.STEP, digits=8) == expected
    secret = totp.base64.b32encode(key).decode()
    assert totp.code_at(secret, moment) == expected[-6:]  # six digits: the same, truncated
    assert totp.matching_step(secret, expected[-6:], moment=moment) == moment // totp.STEP


def test_codes_of_neighbouring_steps_match_and_others_do_not() -> None:
    secret = totp.secret_new()
    now = 1_700_000_000.0
    assert totp.matching_step(secret, totp.code_at(secret, now - 30), moment=now) is not None
    assert totp.matching_step(secret, totp.code_at(secret, now + 30), moment=now) is not None
    assert totp.matching_step(secret, totp.code_at(secret, now - 90), moment=now) is None
    assert totp.matching_step(secret, "12345", moment=now) is None
    assert totp.matching_step(secret, "abcdef", moment=now) is None
    uri = totp.provisioning_uri(secret, account="a@example.org", issuer="Consilium")
    assert uri.startswith("otpauth://totp/Consilium:a@example.org?secret=" + secret)


def current_code(user: User, *, offset: int = 0) -> str:
    factor = SecondFactor.objects.get(user=user)
    return totp.code_at(services.second_factor_secret(factor), time.time() + offset)


def turn_on(user: User) -> list[str]:
    services.second_factor_begin(user=user)
    return services.second_factor_confirm(user=user, code=current_code(user))


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def password_step(client: Client, user: User, ip: str = CAMPUS) -> Any:
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_setting_up_shows_a_qr_code_and_a_first_code_turns_it_on() -> None:
    user = member(Role.INSTITUTION_ADMIN)
    client = Client()
    client.force_login(user)
    page = client.get(SETUP)
    assert page.status_code == 200 and "Set up an authenticator app" in page.content.decode()
    response = client.post("/accounts/second-factor/set-up/")
    assert response.status_code == 302 and response["Location"].endswith("/confirm/")
    page = client.get("/accounts/second-factor/confirm/")
    html = page.content.decode()
    assert "<svg" in html and "<path" in html  # the QR code, drawn inline
    factor = SecondFactor.objects.get(user=user)
    secret = services.second_factor_secret(factor)
    assert secret in html and not factor.is_on
    assert secret.encode() not in bytes(factor.secret_encrypted)  # kept encrypted
    wrong = client.post("/accounts/second-factor/confirm/", {"code": "000000"})
    assert "This code is not right" in wrong.content.decode()
    done = client.post("/accounts/second-factor/confirm/", {"code": current_code(user)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert done["Cache-Control"].count("no-store") or "no-cache" in done["Cache-Control"]
    assert SecondFactor.objects.get(user=user).is_on
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)  # only hashes are kept
    assert SecurityEvent.objects.filter(kind=EventKind.SECOND_FACTOR_ON, actor=user).exists()


@pytest.mark.django_db
def test_sign_in_asks_for_the_code_after_the_password() -> None:
    user = UserFactory()
    turn_on(user)
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 302 and response["Location"] == CODE
    assert not signed_in(client)
    wrong = client.post(CODE, {"code": "000000"}, REMOTE_ADDR=CAMPUS)
    assert "This code is not right" in wrong.content.decode() and not signed_in(client)
    assert SecurityEvent.objects.filter(kind=EventKind.SECOND_FACTOR_FAILED).count() == 1
    # The code of the step after the one used to confirm (a code is accepted once).
    right = client.post(CODE, {"code": current_code(user, offset=30)}, REMOTE_ADDR=CAMPUS)
    assert right.status_code == 302 and signed_in(client)
    assert SecurityEvent.objects.filter(
        kind=EventKind.SIGNIN, actor=user, details__second_factor=True
    ).exists()


@pytest.mark.django_db
def test_a_code_works_once() -> None:
    user = UserFactory()
    services.second_factor_begin(user=user)
    used = current_code(user)
    services.second_factor_confirm(user=user, code=used)
    client = Client()
    password_step(client, user)
    again = client.post(CODE, {"code": used}, REMOTE_ADDR=CAMPUS)
    assert "This code is not right" in again.content.decode() and not signed_in(client)


@pytest.mark.django_db
def test_the_code_page_without_a_password_first_signs_nobody_in() -> None:
    client = Client()
    page = client.get(CODE)
    assert page.status_code == 200 and "password first" in page.content.decode()
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 200 and not signed_in(client)


@pytest.mark.django_db
def test_a_recovery_code_works_once() -> None:
    user = UserFactory()
    codes = turn_on(user)
    client = Client()
    password_step(client, user)
    response = client.post(CODE, {"code": codes[3].upper()}, REMOTE_ADDR=CAMPUS)
    assert response.status_code == 302 and signed_in(client)
    assert services.recovery_codes_left(user) == 9
    other = Client()
    password_step(other, user)
    again = other.post(CODE, {"code": codes[3]}, REMOTE_ADDR=CAMPUS)
    assert "This code is not right" in again.content.decode() and not signed_in(other)
    assert SecurityEvent.objects.filter(kind=EventKind.RECOVERY_CODE_USED).count() == 1


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones() -> None:
    user = UserFactory()
    old = turn_on(user)
    client = Client()
    client.force_login(user)
    page = client.post("/accounts/second-factor/recovery-codes/")
    new = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert services.second_factor_verify(user=user, code=old[0], client="") == "wrong"
    assert services.second_factor_verify(user=user, code=new[0], client="") == "recovery"


@pytest.mark.django_db
def test_wrong_codes_are_throttled_like_wrong_passwords(settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = 3
    user = UserFactory()
    turn_on(user)
    client = Client()
    password_step(client, user)
    for _ in range(3):
        client.post(CODE, {"code": "000000"}, REMOTE_ADDR=CAMPUS)
    # The right password again does not forgive the wrong codes.
    password_step(client, user)
    refused = client.post(CODE, {"code": current_code(user, offset=30)}, REMOTE_ADDR=CAMPUS)
    assert "Too many failed attempts" in refused.content.decode() and not signed_in(client)
    assert SecurityEvent.objects.filter(
        kind=EventKind.SIGNIN_THROTTLED, details__step="code"
    ).exists()
    # From another address (the owner at home) the right code works.
    home = Client()
    password_step(home, user, ip="198.51.100.20")
    ok = home.post(CODE, {"code": current_code(user, offset=30)}, REMOTE_ADDR="198.51.100.20")
    assert ok.status_code == 302 and signed_in(home)


@pytest.mark.django_db
def test_the_admin_sign_in_asks_for_the_code_too() -> None:
    user = UserFactory(is_staff=True, is_superuser=True)
    turn_on(user)
    client = Client()
    data = {"username": user.email, "password": PASSWORD, "next": "/admin/"}
    page = client.get(ADMIN_LOGIN)
    assert 'name="code"' in page.content.decode()
    without = client.post(ADMIN_LOGIN, data, REMOTE_ADDR=CAMPUS)
    assert "Enter the code" in without.content.decode() and not signed_in(client)
    wrong = client.post(ADMIN_LOGIN, {**data, "code": "000000"}, REMOTE_ADDR=CAMPUS)
    assert "This code is not right" in wrong.content.decode() and not signed_in(client)
    right = client.post(
        ADMIN_LOGIN, {**data, "code": current_code(user, offset=30)}, REMOTE_ADDR=CAMPUS
    )
    assert right.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_the_admin_sign_in_of_someone_without_a_factor_needs_no_code() -> None:
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    data = {"username": user.email, "password": PASSWORD, "next": "/admin/"}
    assert client.post(ADMIN_LOGIN, data, REMOTE_ADDR=CAMPUS).status_code == 302


@pytest.mark.django_db
def test_turning_it_off_takes_the_password_and_a_code() -> None:
    user = UserFactory()
    codes = turn_on(user)
    client = Client()
    client.force_login(user)
    off = "/accounts/second-factor/off/"
    client.post(off, {"password": "wrong", "code": current_code(user, offset=30)})
    assert services.second_factor_is_on(user)
    client.post(off, {"password": PASSWORD, "code": "000000"})
    assert services.second_factor_is_on(user)
    assert SecurityEvent.objects.filter(kind=EventKind.SECOND_FACTOR_FAILED).exists()
    response = client.post(off, {"password": PASSWORD, "code": codes[0]})
    assert response.status_code == 302
    assert not services.second_factor_is_on(user)
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(kind=EventKind.SECOND_FACTOR_OFF, actor=user).exists()


@pytest.mark.django_db
def test_a_required_second_factor_sends_administrators_to_set_it_up_first() -> None:
    network_admin = member(Role.NETWORK_ADMIN)
    institution_admin = member(Role.INSTITUTION_ADMIN)
    teacher = member(Role.TEACHER)
    services.security_settings_update(require_second_factor=True, by=network_admin)
    admin_client, teacher_client = Client(), Client()
    admin_client.force_login(institution_admin)
    teacher_client.force_login(teacher)
    assert teacher_client.get("/accounts/profile/").status_code == 200
    held = admin_client.get("/accounts/profile/")
    assert held.status_code == 302
    assert (
        held["Location"].startswith(SETUP) and "next=%2Faccounts%2Fprofile%2F" in held["Location"]
    )
    assert admin_client.get("/api/v1/me/").status_code == 403
    page = admin_client.get(SETUP)
    assert "Administrators must use a second factor" in page.content.decode()
    admin_client.post("/accounts/second-factor/set-up/")
    admin_client.post("/accounts/second-factor/confirm/", {"code": current_code(institution_admin)})
    assert admin_client.get("/accounts/profile/").status_code == 200
    # A required factor cannot be turned off.
    problem = services.second_factor_disable(
        user=institution_admin, password=PASSWORD, code=current_code(institution_admin, offset=30)
    )
    assert "cannot be turned off" in problem
    # The network administrator signed in before the requirement is held up too.
    network_client = Client()
    network_client.force_login(network_admin)
    assert network_client.get("/accounts/tokens/").status_code == 302
    assert network_client.get("/accounts/security/settings/").status_code == 302
    services.security_settings_update(require_second_factor=False, by=network_admin)
    assert network_client.get("/accounts/tokens/").status_code == 200


@pytest.mark.django_db
def test_the_network_administrator_sets_the_requirement() -> None:
    network_admin = member(Role.NETWORK_ADMIN)
    client = Client()
    client.force_login(network_admin)
    page = client.get("/accounts/security/settings/")
    assert page.status_code == 200
    client.post("/accounts/security/settings/", {"require_second_factor": "on"})
    assert services.second_factor_required()
    assert SecurityEvent.objects.filter(
        kind=EventKind.SECOND_FACTOR_REQUIRED, actor=network_admin, details__required=True
    ).exists()
    # Now the network administrator must set one up too.
    assert client.get("/accounts/security/events/").status_code == 302


@pytest.mark.django_db
def test_secrets_survive_a_secret_key_rotation(settings: Any) -> None:
    user = UserFactory()
    codes = turn_on(user)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = [old]
    assert (
        services.second_factor_verify(user=user, code=current_code(user, offset=30), client="")
        == services.CodeCheck.PASSED
    )
    assert services.second_factor_verify(user=user, code=codes[1], client="") == "recovery"
