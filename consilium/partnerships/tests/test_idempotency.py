"""A double-submitted proposal creates one agreement: the form's one-time key, the API's
optional Idempotency-Key header, sent one after the other and at the same moment."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from consilium.accounts.services import api_token_create
from consilium.core.models import IdempotencyKey
from consilium.core.roles import Role
from consilium.core.testing import run_concurrently
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships.models import Agreement
from consilium.partnerships.tests.test_views import _form

URL = "/api/v1/partnerships/agreements/"


def _setting():
    centre = InstitutionFactory(kind="clinical_centre", name_en="Blood Centre")
    college = InstitutionFactory(kind="college", name_en="Steppe College")
    user = member(Role.PARTNERSHIP_COORDINATOR, centre)
    return user, _form([(centre, "clinical_base"), (college, "college")])


def _api_body(data) -> str:
    return json.dumps(
        {
            "kind": "memorandum",
            "title": {"en": "Memorandum by API"},
            "parties": [
                {"institution_id": int(data["party-0-institution"]), "role": "clinical_base"},
                {"institution_id": int(data["party-1-institution"]), "role": "college"},
            ],
            "forms": ["practice"],
        }
    )


@pytest.mark.django_db
def test_the_empty_form_carries_a_fresh_key(client) -> None:
    user, _data = _setting()
    client.force_login(user)
    first = client.get(reverse("partnerships:agreement_create")).content.decode()
    second = client.get(reverse("partnerships:agreement_create")).content.decode()
    assert 'name="idempotency_key"' in first
    key = first.split('name="idempotency_key" value="')[1].split('"')[0]
    assert len(key) == 32 and key not in second


@pytest.mark.django_db
def test_the_form_posted_twice_makes_one_agreement(client) -> None:
    user, data = _setting()
    client.force_login(user)
    data["idempotency_key"] = "k" * 32
    first = client.post(reverse("partnerships:agreement_create"), data)
    second = client.post(reverse("partnerships:agreement_create"), data)
    assert first.status_code == second.status_code == 302
    assert Agreement.objects.count() == 1
    assert (
        first.url
        == second.url
        == reverse("partnerships:agreement_detail", args=[Agreement.objects.get().pk])
    )
    # A new form (a new key) proposes another one.
    data["idempotency_key"] = "n" * 32
    client.post(reverse("partnerships:agreement_create"), data)
    assert Agreement.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_form_keeps_its_key_usable(client) -> None:
    user, data = _setting()
    client.force_login(user)
    data["idempotency_key"] = "r" * 32
    bad = dict(data, title_en="")
    page = client.post(reverse("partnerships:agreement_create"), bad)
    assert page.status_code == 200
    assert 'value="' + "r" * 32 + '"' in page.content.decode()
    assert not IdempotencyKey.objects.exists()
    assert client.post(reverse("partnerships:agreement_create"), data).status_code == 302
    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_the_api_with_one_key_twice_makes_one_agreement() -> None:
    user, data = _setting()
    _token, raw = api_token_create(user=user, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = _api_body(data)
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-0001-abcdef"}
    first = api.post(URL, body, content_type="application/json", **headers)
    second = api.post(URL, body, content_type="application/json", **headers)
    assert first.status_code == second.status_code == 201, first.content
    assert first.json()["id"] == second.json()["id"]
    assert Agreement.objects.count() == 1
    # Without the header, each request proposes one (as before).
    api.post(URL, body, content_type="application/json")
    assert Agreement.objects.count() == 2
    # Another person's same key is theirs alone.
    other = member(
        Role.PARTNERSHIP_COORDINATOR, Agreement.objects.first().parties.first().institution
    )
    _t, raw2 = api_token_create(user=other, name="test")
    third = Client(HTTP_AUTHORIZATION=f"Bearer {raw2}").post(
        URL, body, content_type="application/json", **headers
    )
    assert third.status_code == 201 and third.json()["id"] != first.json()["id"]


def test_the_header_is_documented(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert any(
        p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"]
    )


@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_moment_makes_one_agreement() -> None:
    user, data = _setting()
    data["idempotency_key"] = "d" * 32

    def submit() -> int:
        client = Client()
        client.force_login(user)
        return client.post(reverse("partnerships:agreement_create"), data).status_code

    assert run_concurrently(submit, submit) == [302, 302]
    assert Agreement.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_api_retries_at_the_same_moment_make_one_agreement() -> None:
    user, data = _setting()
    _token, raw = api_token_create(user=user, name="test")
    body = _api_body(data)

    def send() -> int:
        response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
            URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="same-moment-01"
        )
        return response.status_code

    assert run_concurrently(send, send, send) == [201, 201, 201]
    assert Agreement.objects.count() == 1
