"""The actions pages and API: who sees what, the lists (one query count for 1 and 20 rows),
recording from an origin's page in one step, refusals, exports."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consilium.accounts.models import User
from consilium.accounts.services import api_token_create
from consilium.actions import services
from consilium.actions.models import Action
from consilium.actions.testing import make_action
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships import services as ps

pytestmark = pytest.mark.django_db
API = "/api/v1/actions"


class World:
    def __init__(self) -> None:
        self.ministry = InstitutionFactory(kind="ministry")
        self.own = InstitutionFactory()
        self.partner = InstitutionFactory()
        self.stranger_place = InstitutionFactory()
        self.observer = member(Role.MINISTRY_OBSERVER, self.ministry)
        self.coordinator = member(Role.PARTNERSHIP_COORDINATOR, self.own)
        self.teacher = member(Role.TEACHER, self.own)
        self.partner_teacher = member(Role.TEACHER, self.partner)
        self.stranger = member(Role.PARTNERSHIP_COORDINATOR, self.stranger_place)
        self.agreement = ps.agreement_create(
            kind="memorandum",
            titles={"en": "Pair"},
            by=None,
            is_public=False,
            parties=[
                ps.PartyData(institution=self.own, role="domestic"),
                ps.PartyData(institution=self.partner, role="foreign"),
            ],
        )

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def add(self, n: int = 1, **fields: Any) -> list[Action]:
        return [
            make_action(
                institution=fields.get("institution", self.own),
                titles={"en": f"Action {Action.objects.count() + 1}"},
                responsible=fields.get("responsible", self.teacher),
                by=self.coordinator,
                origin=fields.get("origin", self.agreement),
                due_on=timezone.localdate() + timedelta(days=5),
            )
            for _ in range(n)
        ]


@pytest.fixture
def w() -> World:
    return World()


def test_who_sees_an_action(w: World) -> None:
    (action,) = w.add()
    url = reverse("actions:action_detail", args=[action.pk])
    for user, status in [
        (w.observer, 200),  # the network's readers
        (w.coordinator, 200),  # the owner's coordinators
        (w.teacher, 200),  # the person responsible
        (w.partner_teacher, 200),  # a member of a party to the agreement it is about
        (w.stranger, 403),
    ]:
        assert w.client(user).get(url).status_code == status, user
    assert w.client(w.stranger).get(f"{API}/{action.pk}").status_code == 403


def test_the_detail_page_links_back_to_its_origin(w: World) -> None:
    (action,) = w.add()
    body = w.client(w.coordinator).get(reverse("actions:action_detail", args=[action.pk]))
    assert reverse("partnerships:agreement_detail", args=[w.agreement.pk]) in body.content.decode()


def test_only_the_owner_coordinators_and_the_responsible_change_it(w: World) -> None:
    (action,) = w.add()
    url = reverse("actions:action_transition", args=[action.pk])
    assert w.client(w.partner_teacher).post(url, {"to": "in_progress"}).status_code == 403
    assert w.client(w.observer).post(url, {"to": "in_progress"}).status_code == 403
    assert w.client(w.teacher).post(url, {"to": "in_progress"}).status_code == 302
    assert Action.objects.get().status == "in_progress"


def test_record_an_action_from_the_agreement_page_in_one_step(w: World) -> None:
    client = w.client(w.coordinator)
    page = client.get(reverse("partnerships:agreement_detail", args=[w.agreement.pk]))
    assert (
        reverse("partnerships:recommendation_add", args=[w.agreement.pk]) in page.content.decode()
    )
    response = client.post(
        reverse("partnerships:recommendation_add", args=[w.agreement.pk]),
        {"text": "Share the syllabus", "due_on": ""},
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.kind, action.institution, action.origin) == (
        "recommendation",
        w.own,
        w.agreement,
    )
    page = client.get(reverse("partnerships:agreement_detail", args=[w.agreement.pk]))
    assert reverse("actions:action_detail", args=[action.pk]) in page.content.decode()


def test_record_any_kind_about_an_origin(w: World) -> None:
    client = w.client(w.coordinator)
    url = (
        reverse("actions:action_create")
        + f"?origin=partnerships.agreement&origin_id={w.agreement.pk}"
    )
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"kind": "decision", "institution": w.own.pk, "title": "Meet yearly", "due_on": ""},
    )
    action = Action.objects.get()
    assert response.url == reverse("actions:action_detail", args=[action.pk])
    assert action.origin == w.agreement and action.created_by == w.coordinator


def test_a_due_date_in_the_past_is_refused_with_a_clear_message(w: World) -> None:
    client = w.client(w.coordinator)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("actions:action_create"),
        {"kind": "decision", "institution": w.own.pk, "title": "X", "due_on": yesterday},
    )
    assert response.status_code == 200
    assert "The due date cannot be before the day it was decided" in response.content.decode()
    assert not Action.objects.exists()


def test_my_actions_list_has_a_constant_query_count(w: World) -> None:
    w.add()
    result = assert_queries_constant(
        get_ok(w.client(w.teacher), reverse("actions:action_mine")), lambda: w.add(19)
    )
    assert "Action 20" in result.result.content.decode()


def test_institution_list_has_a_constant_query_count(w: World) -> None:
    w.add()
    assert_queries_constant(
        get_ok(w.client(w.coordinator), reverse("actions:action_institution", args=[w.own.pk])),
        lambda: w.add(19),
    )


def test_network_list_with_counts_has_a_constant_query_count(w: World) -> None:
    w.add()
    result = assert_queries_constant(
        get_ok(w.client(w.observer), reverse("actions:action_network")),
        lambda: [w.add(10, institution=i) for i in (w.partner, w.stranger_place)],
    )
    assert str(w.stranger_place) in result.result.content.decode()


def test_network_filters_and_overdue_counts(w: World) -> None:
    w.add(2)
    late = make_action(
        institution=w.partner,
        opened_on=timezone.localdate() - timedelta(days=30),
        due_on=timezone.localdate() - timedelta(days=1),
    )
    _token, raw = api_token_create(user=w.observer, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    answer = client.get(f"{API}/counts")
    assert answer.status_code == 200, answer.content
    counts = {row["institution_id"]: row for row in answer.json()}
    assert (counts[w.partner.pk]["open"], counts[w.partner.pk]["overdue"]) == (1, 1)
    assert (counts[w.own.pk]["open"], counts[w.own.pk]["overdue"]) == (2, 0)
    overdue = client.get(f"{API}/", {"overdue": "true"}).json()
    assert [row["id"] for row in overdue["results"]] == [late.pk]
    assert client.get(f"{API}/", {"origin": "partnerships.agreement"}).json()["count"] == 2
    assert client.get(f"{API}/", {"institution": w.partner.pk}).json()["count"] == 1
    response = w.client(w.observer).get(reverse("actions:action_network"), {"overdue": "1"})
    page = response.content.decode()
    assert late.title in page and "Action 1" not in page


def test_api_list_has_a_constant_query_count(w: World) -> None:
    w.add()
    _token, raw = api_token_create(user=w.observer, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert_queries_constant(get_ok(client, f"{API}/"), lambda: w.add(19), warm_up=True)


def test_exports_have_the_same_rows_and_a_constant_query_count(w: World) -> None:
    w.add()
    client = w.client(w.observer)

    def fetch() -> Any:
        response = client.get(reverse("actions:action_export", args=["csv"]))
        return b"".join(response.streaming_content).decode("utf-8-sig")

    result = assert_queries_constant(fetch, lambda: w.add(19))
    assert result.result.count("\n") == 21
    xlsx = client.get(reverse("actions:action_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_api_records_moves_and_judges(w: World) -> None:
    _token, raw = api_token_create(user=w.coordinator, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def send(method: str, path: str, body: dict[str, Any]) -> Any:
        return client.generic(method, path, json.dumps(body), content_type="application/json")

    created = send(
        "POST",
        f"{API}/",
        {
            "kind": "corrective",
            "institution_id": w.own.pk,
            "title": {"ru": "Исправить"},
            "origin": {"kind": "partnerships.agreement", "id": w.agreement.pk},
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["origin"] == {"kind": "partnerships.agreement", "id": w.agreement.pk}
    refused = send("POST", f"{API}/{pk}/status", {"to": "done", "evidence": "Done"})
    assert refused.status_code == 400 and "check_criterion" in refused.json()["errors"]
    assert send("PATCH", f"{API}/{pk}", {"check_criterion": "No repeat"}).status_code == 200
    assert send("POST", f"{API}/{pk}/status", {"to": "done", "evidence": "Done"}).status_code == 200
    judged = send("POST", f"{API}/{pk}/check", {"result": "ineffective", "note": "Again"})
    assert judged.status_code == 200 and judged.json()["follow_up_of_id"] == pk
    assert services.CONTENT == "actions"


def test_the_institution_page_shows_its_open_actions_to_its_readers(w: World) -> None:
    (action,) = w.add()
    url = reverse("institutions:detail", args=[w.own.pk])
    assert action.title in w.client(w.coordinator).get(url).content.decode()
    assert action.title not in w.client(w.stranger).get(url).content.decode()
