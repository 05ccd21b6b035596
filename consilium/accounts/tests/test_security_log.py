"""The security audit log: what is recorded (sign-ins, failures, throttling, tokens, password
resets, role changes, membership removals), the network administrators' page with its filters
and paging, and its CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from consilium.accounts import services
from consilium.accounts.models import EventKind, SecurityEvent
from consilium.accounts.testing import PASSWORD, UserFactory
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.institutions.testing import member

LOGIN = "/accounts/sign-in/"
EVENTS = "/accounts/security/events/"
CAMPUS = "203.0.113.7"


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_sign_ins_failures_and_throttling_are_recorded(settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = 2
    user = UserFactory(email="someone@example.kz")
    client = Client()
    client.post(LOGIN, {"username": user.email, "password": "guess"}, REMOTE_ADDR=CAMPUS)
    failed = SecurityEvent.objects.get(kind=EventKind.SIGNIN_FAILED)
    assert failed.actor_email == "someone@example.kz" and failed.ip == CAMPUS
    client.post(LOGIN, {"username": user.email, "password": "guess"}, REMOTE_ADDR=CAMPUS)
    client.post(LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR=CAMPUS)
    assert kinds() == [EventKind.SIGNIN_FAILED] * 2 + [EventKind.SIGNIN_THROTTLED]
    home = Client()
    home.post(LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.2")
    signin = SecurityEvent.objects.get(kind=EventKind.SIGNIN)
    assert signin.actor == user and signin.ip == "198.51.100.2"


@pytest.mark.django_db
def test_the_admin_sign_in_is_recorded_too() -> None:
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    data = {"username": admin_user.email, "password": "guess", "next": "/admin/"}
    client.post("/admin/login/", data, REMOTE_ADDR=CAMPUS)
    client.post("/admin/login/", {**data, "password": PASSWORD}, REMOTE_ADDR=CAMPUS)
    assert kinds() == [EventKind.SIGNIN_FAILED, EventKind.SIGNIN]


@pytest.mark.django_db
def test_tokens_and_password_resets_are_recorded() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    SecurityEvent.objects.all().delete()
    client.post("/accounts/tokens/", {"name": "nightly export"}, REMOTE_ADDR=CAMPUS)
    token = user.api_tokens.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/", REMOTE_ADDR=CAMPUS)
    services.user_password_reset(user=user, password="another-long-password", client=CAMPUS)
    created, revoked, reset = SecurityEvent.objects.order_by("pk")
    assert (created.kind, created.actor, created.ip) == (EventKind.TOKEN_CREATED, user, CAMPUS)
    assert "nightly export" in created.subject
    assert (revoked.kind, revoked.actor, revoked.ip) == (EventKind.TOKEN_REVOKED, user, CAMPUS)
    assert (reset.kind, reset.actor) == (EventKind.PASSWORD_RESET, user)


def _event(kind: str, email: str, days_ago: int = 0) -> SecurityEvent:
    return SecurityEvent.objects.create(
        kind=kind, actor_email=email, at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.mark.django_db
def test_network_administrators_read_and_filter_the_log() -> None:
    network_admin = member(Role.NETWORK_ADMIN)
    client = Client()
    client.force_login(network_admin)
    _event(EventKind.SIGNIN_FAILED, "old@example.org", days_ago=10)
    _event(EventKind.TOKEN_CREATED, "maker@example.org")
    page = client.get(EVENTS).content.decode()
    assert "old@example.org" in page and "maker@example.org" in page
    assert "API token created" in page
    by_kind = client.get(EVENTS, {"kind": EventKind.SIGNIN_FAILED}).content.decode()
    assert "old@example.org" in by_kind and "maker@example.org" not in by_kind
    by_actor = client.get(EVENTS, {"actor": "MAKER"}).content.decode()
    assert "maker@example.org" in by_actor and "old@example.org" not in by_actor
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    recent = client.get(EVENTS, {"since": since}).content.decode()
    assert "maker@example.org" in recent and "old@example.org" not in recent
    until = (timezone.now() - timedelta(days=5)).date().isoformat()
    older = client.get(EVENTS, {"until": until}).content.decode()
    assert "old@example.org" in older and "maker@example.org" not in older
    # Bad filters are ignored, not a 500.
    assert client.get(EVENTS, {"since": "1e20", "kind": "nope", "page": "x"}).status_code == 200


@pytest.mark.django_db
def test_the_log_pages_by_fifty() -> None:
    network_admin = member(Role.NETWORK_ADMIN)
    client = Client()
    client.force_login(network_admin)
    for n in range(60):
        _event(EventKind.SIGNIN_FAILED, f"p{n:02d}@example.org")
    first = client.get(EVENTS).content.decode()
    second = client.get(EVENTS, {"page": 2}).content.decode()
    assert first.count("@example.org</td>") == 50 and "Page 1 of 2" in first
    assert second.count("@example.org</td>") >= 10


@pytest.mark.django_db
def test_the_log_exports_as_csv() -> None:
    network_admin = member(Role.NETWORK_ADMIN)
    client = Client()
    client.force_login(network_admin)
    SecurityEvent.objects.all().delete()
    services.security_event_record(
        kind=EventKind.CERTIFICATE_REVOKED,
        actor_email="=cmd@example.org",
        subject="ABC-123",
        institution_id=7,
        client=CAMPUS,
        details={"reason": "error"},
    )
    _event(EventKind.SIGNIN_FAILED, "other@example.org")
    response = client.get("/accounts/security/events.csv", {"kind": EventKind.CERTIFICATE_REVOKED})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["When (UTC)", "Kind", "Actor"]
    assert len(rows) == 2
    assert rows[1][1:6] == ["Certificate revoked", "'=cmd@example.org", "ABC-123", "7", CAMPUS]
    assert rows[1][6] == '{"reason": "error"}'


@pytest.mark.django_db
def test_only_network_administrators_read_the_log() -> None:
    _event(EventKind.SIGNIN_FAILED, "someone@example.org")
    for role in (Role.INSTITUTION_ADMIN, Role.MINISTRY_OBSERVER):
        client = Client()
        client.force_login(member(role))
        assert client.get(EVENTS).status_code == 403
        assert client.get("/accounts/security/events.csv").status_code == 403


@pytest.mark.django_db
def test_the_log_page_costs_the_same_queries_for_1_and_50_rows() -> None:
    network_admin = member(Role.NETWORK_ADMIN)
    client = Client()
    client.force_login(network_admin)
    _event(EventKind.SIGNIN, network_admin.email)

    def add_rows() -> None:
        for n in range(49):
            SecurityEvent.objects.create(kind=EventKind.SIGNIN, actor=network_admin)

    assert_queries_constant(get_ok(client, EVENTS), add_rows, warm_up=True)
