"""The partnerships API: every endpoint's happy path, bad input, conflicts, visibility, queries.

Who may call what is walked role by role in tests/test_access_matrix.py; here the personas are
a coordinator at each party, a coordinator at an unrelated institution and the network admin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client
from django.utils import timezone

from consilium.accounts.models import User
from consilium.accounts.services import api_token_create
from consilium.actions.models import Action
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.institutions.models import Institution, InstitutionKind
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships import selectors, services
from consilium.partnerships.api import agreements as agreements_api
from consilium.partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    Approval,
    Document,
    Phase,
    PriorityArea,
    Programme,
    ProgrammeFunder,
    SituationAnalysis,
    Transition,
    WorkItem,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships"
PDF = b"%PDF-1.4 a signed agreement"


def api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def send(client: Client, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body) if body is not None else ""
    return client.generic(method, path, data, content_type="application/json", **extra)


@dataclass
class Setting:
    ministry: Institution
    own: Institution
    partner: Institution
    stranger_institution: Institution
    programme: Programme
    admin: User
    coordinator: User  # at own
    partner_coordinator: User  # at partner
    stranger: User  # a coordinator at an institution that is party to nothing

    def client(self, who: str = "coordinator") -> Client:
        return api(getattr(self, who))

    def body(self, **changes: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": "strategic",
            "title": {"en": "Strategic partnership", "ru": "Стратегическое партнёрство"},
            "programme_id": self.programme.pk,
            "summary": "Mentoring in surgery.",
            "valid_from": "2024-01-01",
            "valid_until": "2026-12-31",
            "forms": ["mentoring", "research"],
            "parties": [
                {"institution_id": self.own.pk, "role": "domestic", "signatory": "Rector"},
                {"institution_id": self.partner.pk, "role": "foreign"},
            ],
            "funding": [{"source": "Ministry", "amount": "1000.50", "currency": "kzt"}],
        }
        body.update(changes)
        return body

    def agreement(self, **changes: Any) -> Agreement:
        fields: dict[str, Any] = {
            "kind": "memorandum",
            "titles": {"en": "Memorandum"},
            "by": self.admin,
            "parties": [
                services.PartyData(institution=self.own, role="domestic"),
                services.PartyData(institution=self.partner, role="foreign"),
            ],
        }
        fields.update(changes)
        return services.agreement_create(**fields)


@pytest.fixture
def s() -> Setting:
    ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY, name_en="Ministry of Health")
    own = InstitutionFactory(name_en="Own Medical University")
    partner = InstitutionFactory(name_en="Lund University", country="SE")
    elsewhere = InstitutionFactory(name_en="Unrelated College", kind=InstitutionKind.COLLEGE)
    admin = member(Role.NETWORK_ADMIN, ministry)
    programme = services.programme_create(
        owner=ministry, titles={"en": "Strategic partnership"}, starts_on=date(2016, 1, 1), by=admin
    )
    return Setting(
        ministry=ministry,
        own=own,
        partner=partner,
        stranger_institution=elsewhere,
        programme=programme,
        admin=admin,
        coordinator=member(Role.PARTNERSHIP_COORDINATOR, own),
        partner_coordinator=member(Role.PARTNERSHIP_COORDINATOR, partner),
        stranger=member(Role.PARTNERSHIP_COORDINATOR, elsewhere),
    )


def counts() -> tuple[int, ...]:
    """Rows an agreement write touches; equal before and after means nothing was written."""
    return (
        Agreement.objects.count(),
        AgreementParty.objects.count(),
        AgreementVersion.objects.count(),
        Approval.objects.count(),
        Transition.objects.count(),
    )


# --- programmes --------------------------------------------------------------------------


def test_programme_create_get_patch_and_parts(s: Setting) -> None:
    client = s.client("admin")
    created = send(
        client,
        "POST",
        f"{BASE}/programmes/",
        {
            "owner_id": s.ministry.pk,
            "title": {"en": "Clinical bases", "kk": "Клиникалық базалар"},
            "starts_on": "2020-01-01",
            "funding_frame": "World Bank",
        },
    )
    assert created.status_code == 201, created.content
    programme = created.json()
    assert programme["title"]["kk"] == "Клиникалық базалар"
    assert programme["owner"]["id"] == s.ministry.pk and programme["phases"] == []
    url = f"{BASE}/programmes/{programme['id']}"

    patched = send(client, "PATCH", url, {"title": {"ru": "Клинические базы"}, "ends_on": None})
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"]["en"] == "Clinical bases"
    assert patched.json()["title"]["ru"] == "Клинические базы"
    assert patched.json()["funding_frame"] == "World Bank"

    phase = send(
        client,
        "POST",
        f"{url}/phases",
        {"number": 1, "title": {"en": "Start"}, "starts_on": "2020-01-01", "ends_on": "2020-12-31"},
    )
    assert phase.status_code == 201, phase.content
    area = send(client, "POST", f"{url}/areas", {"name": {"en": "Surgery"}})
    assert area.status_code == 201, area.content
    funder = send(
        client, "POST", f"{url}/funders", {"source": "World Bank", "amount": 5, "currency": "usd"}
    )
    assert funder.status_code == 201, funder.content
    assert funder.json()["currency"] == "USD"

    detail = client.get(url).json()
    assert [p["title"]["en"] for p in detail["phases"]] == ["Start"]
    assert [a["name"]["en"] for a in detail["priority_areas"]] == ["Surgery"]
    assert detail["funders"][0]["source"] == "World Bank"


def test_programme_list_paginates_and_counts_agreements(s: Setting) -> None:
    s.agreement(programme=s.programme)
    for year in (2017, 2018):
        services.programme_create(
            owner=s.ministry, titles={"en": f"P{year}"}, starts_on=date(year, 1, 1)
        )
    client = s.client()
    page = client.get(f"{BASE}/programmes/", {"limit": 2}).json()
    assert (page["count"], len(page["results"]), page["next_offset"]) == (3, 2, 2)
    last = client.get(f"{BASE}/programmes/", {"limit": 2, "offset": 2}).json()
    assert last["next_offset"] is None
    assert last["results"][0]["id"] == s.programme.pk
    assert last["results"][0]["agreement_count"] == 1


def test_programme_list_queries_do_not_grow(s: Setting) -> None:
    client = s.client()
    client.get(f"{BASE}/programmes/")  # the token's first use is recorded once

    def add_rows() -> None:
        for number in range(19):
            owner = InstitutionFactory(kind=InstitutionKind.MINISTRY)
            services.programme_create(
                owner=owner, titles={"en": f"P{number}"}, starts_on=date.today()
            )

    assert_queries_constant(get_ok(client, f"{BASE}/programmes/", {"limit": 50}), add_rows)


def test_a_ministry_admin_sets_up_programmes_only_for_their_ministry(s: Setting) -> None:
    other_ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY)
    minister = api(member(Role.INSTITUTION_ADMIN, s.ministry))
    body = {"owner_id": other_ministry.pk, "title": {"en": "Theirs"}, "starts_on": "2020-01-01"}
    before = Programme.objects.count()
    refused = send(minister, "POST", f"{BASE}/programmes/", body)
    assert refused.status_code == 400
    assert "owner_id" in refused.json()["errors"]
    moved = send(
        minister, "PATCH", f"{BASE}/programmes/{s.programme.pk}", {"owner_id": other_ministry.pk}
    )
    assert moved.status_code == 400
    body["owner_id"] = s.ministry.pk
    assert send(minister, "POST", f"{BASE}/programmes/", body).status_code == 201
    assert Programme.objects.count() == before + 1
    s.programme.refresh_from_db()
    assert s.programme.owner_id == s.ministry.pk


@pytest.mark.parametrize(
    "path, body",
    [
        ("", {"title": {"en": "X"}, "starts_on": "2020-01-01", "ends_on": "2019-01-01"}),
        ("", {"title": {"en": ""}, "starts_on": "2020-01-01"}),
        ("", {"starts_on": "not a date", "title": {"en": "X"}}),
        ("{pk}/phases", {"number": 1, "title": {"en": "P"}, "starts_on": "2020-02-01"}),
        (
            "{pk}/phases",
            {"number": 1, "title": {"en": "P"}, "starts_on": "2020-02-01", "ends_on": "2020-01-01"},
        ),
        ("{pk}/areas", {"name": {"ru": "Только по-русски"}}),
        ("{pk}/funders", {"source": "", "currency": "USD"}),
    ],
)
def test_bad_programme_input_is_a_400_and_writes_nothing(s: Setting, path: str, body: Any) -> None:
    if not path:
        body = {"owner_id": s.ministry.pk, **body}
    before = (
        Programme.objects.count(),
        Phase.objects.count(),
        PriorityArea.objects.count(),
        ProgrammeFunder.objects.count(),
    )
    response = send(
        s.client("admin"), "POST", f"{BASE}/programmes/" + path.format(pk=s.programme.pk), body
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert before == (
        Programme.objects.count(),
        Phase.objects.count(),
        PriorityArea.objects.count(),
        ProgrammeFunder.objects.count(),
    )


def test_a_phase_number_is_used_once(s: Setting) -> None:
    client = s.client("admin")
    body = {"number": 1, "title": {"en": "P"}, "starts_on": "2020-01-01", "ends_on": "2020-12-31"}
    url = f"{BASE}/programmes/{s.programme.pk}/phases"
    assert send(client, "POST", url, body).status_code == 201
    assert send(client, "POST", url, body).status_code == 400
    assert Phase.objects.count() == 1


def test_programme_report(s: Setting) -> None:
    agreement = s.agreement(programme=s.programme)
    services.work_item_add(agreement=agreement, kind="goal", title="Train", period="2016")
    services.work_item_add(agreement=agreement, kind="result", title="Trained", period="2016")
    services.recommendation_add(agreement=agreement, text="Do more")
    report = s.client().get(f"{BASE}/programmes/{s.programme.pk}/report")
    assert report.status_code == 200, report.content
    (row,) = report.json()
    assert row["agreement"]["id"] == agreement.pk
    assert row["periods"][0]["period"] == "2016"
    assert [i["title"] for i in row["periods"][0]["goals"]] == ["Train"]
    assert [i["title"] for i in row["periods"][0]["results"]] == ["Trained"]
    assert row["open_recommendations"] == 1


# --- agreements: create and read ---------------------------------------------------------


def test_create_and_get_an_agreement(s: Setting) -> None:
    client = s.client()
    response = send(client, "POST", f"{BASE}/agreements/", s.body())
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "proposed" and created["revision"] == 1
    assert created["title"]["ru"] == "Стратегическое партнёрство"
    assert [p["institution"]["id"] for p in created["parties"]] == [s.own.pk, s.partner.pk]
    assert created["parties"][0]["signatory"] == "Rector"
    assert created["forms"] == ["mentoring", "research"]
    assert created["funding"] == [
        {
            "source": "Ministry",
            "amount": "1000.50",
            "currency": "KZT",
            "period_start": None,
            "period_end": None,
        }
    ]
    version = AgreementVersion.objects.get(agreement_id=created["id"])
    assert created["version"]["number"] == 1
    assert created["version"]["content_hash"] == version.content_hash
    assert created["next_statuses"] == ["negotiating", "terminated"]
    assert created["can_renew"] is False
    own_party = created["parties"][0]["id"]
    assert created["permissions"] == {"edit": True, "documents": True, "approve_for": [own_party]}
    assert created["missing_approvals"] == [p["id"] for p in created["parties"]]
    assert created["approvals"] == []

    fetched = client.get(f"{BASE}/agreements/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created


def test_a_reader_sees_a_public_agreement_but_may_not_act_on_it(s: Setting) -> None:
    agreement = s.agreement()
    stranger = s.client("stranger")
    detail = stranger.get(f"{BASE}/agreements/{agreement.pk}")
    assert detail.status_code == 200
    assert detail.json()["permissions"] == {"edit": False, "documents": False, "approve_for": []}
    for method, path, body in [
        ("PATCH", "", {"revision": 1, "summary": "Mine now"}),
        ("POST", "/transition", {"to": "negotiating"}),
        ("POST", "/recommendations", {"text": "X"}),
        ("POST", "/work-items", {"kind": "goal", "title": "X", "period": "2020"}),
    ]:
        response = send(stranger, method, f"{BASE}/agreements/{agreement.pk}{path}", body)
        assert response.status_code == 403, (path, response.status_code)
    assert stranger.get(f"{BASE}/agreements/{agreement.pk}/documents").status_code == 403
    agreement.refresh_from_db()
    assert (agreement.revision, agreement.status) == (1, "proposed")


def test_a_hidden_agreement_answers_403_and_a_missing_one_404(s: Setting) -> None:
    hidden = s.agreement(is_public=False)
    stranger = s.client("stranger")
    for path in ("", "/versions", "/versions/1", "/diff", "/recommendations", "/work-items"):
        response = stranger.get(f"{BASE}/agreements/{hidden.pk}{path}")
        assert response.status_code == 403, (path, response.status_code)
        assert "Hidden" not in response.content.decode()
    assert stranger.get(f"{BASE}/agreements/").json()["count"] == 0
    missing = stranger.get(f"{BASE}/agreements/999999")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert s.client("partner_coordinator").get(f"{BASE}/agreements/{hidden.pk}").status_code == 200


def _listed(client: Client, **params: Any) -> list[int]:
    return [a["id"] for a in client.get(f"{BASE}/agreements/", params).json()["results"]]


def test_the_list_filters_as_the_page_does(s: Setting) -> None:
    college = InstitutionFactory(kind=InstitutionKind.COLLEGE, country="KZ")
    strategic = s.agreement(
        kind="strategic",
        titles={"en": "Surgery twinning"},
        programme=s.programme,
        forms=["mentoring"],
    )
    memorandum = s.agreement(
        titles={"en": "Nursing memorandum"},
        number="M-7",
        parties=[
            services.PartyData(institution=s.own, role="clinical_base"),
            services.PartyData(institution=college, role="college"),
        ],
    )
    ending = s.agreement(
        titles={"en": "Ending soon"},
        valid_from=timezone.localdate() - timedelta(days=300),
        valid_until=timezone.localdate() + timedelta(days=30),
    )
    Agreement.objects.filter(pk=ending.pk).update(status="active")
    hidden = s.agreement(
        titles={"en": "Hidden"},
        is_public=False,
        parties=[
            services.PartyData(institution=s.partner, role="foreign"),
            services.PartyData(institution=college, role="college"),
        ],
    )
    client = s.client()
    assert _listed(client) == [ending.pk, memorandum.pk, strategic.pk]
    assert _listed(client, kind="strategic") == [strategic.pk]
    assert _listed(client, status="active") == [ending.pk]
    assert _listed(client, country="se") == [ending.pk, strategic.pk]
    assert _listed(client, form="mentoring") == [strategic.pk]
    assert _listed(client, partner=college.pk) == [memorandum.pk]
    assert _listed(client, programme=s.programme.pk) == [strategic.pk]
    assert _listed(client, q="nursing") == [memorandum.pk]
    assert _listed(client, q="M-7") == [memorandum.pk]
    assert _listed(client, ending_soon="true") == [ending.pk]
    assert _listed(client, kind="no-such-kind") == _listed(client)  # ignored, as on the page
    assert _listed(s.client("admin"), partner=college.pk) == [hidden.pk, memorandum.pk]

    params = {"country": "SE", "form": "mentoring", "q": "surgery"}
    expected = selectors.agreement_list(
        s.coordinator, selectors.AgreementFilter.from_params(params)
    )
    assert _listed(client, **params) == [a.pk for a in expected]

    page = client.get(f"{BASE}/agreements/", {"limit": 2}).json()
    assert (page["count"], len(page["results"]), page["next_offset"]) == (3, 2, 2)
    last = client.get(f"{BASE}/agreements/", {"limit": 2, "offset": 2}).json()
    assert last["next_offset"] is None
    assert client.get(f"{BASE}/agreements/", {"limit": 101}).status_code == 400
    assert client.get(f"{BASE}/agreements/", {"programme": "x"}).status_code == 400


def test_the_list_queries_do_not_grow_with_the_agreements(s: Setting) -> None:
    client = s.client()
    s.agreement(programme=s.programme, forms=["mentoring", "research"])
    client.get(f"{BASE}/agreements/")  # the token's first use is recorded once

    def add_rows() -> None:
        for number in range(19):
            third = InstitutionFactory()
            s.agreement(
                titles={"en": f"Agreement {number}"},
                programme=s.programme,
                forms=["mentoring"],
                parties=[
                    services.PartyData(institution=s.own, role="domestic"),
                    services.PartyData(institution=s.partner, role="foreign"),
                    services.PartyData(institution=third, role="partner"),
                ],
            )

    fetch = get_ok(client, f"{BASE}/agreements/", {"limit": 50})
    assert assert_queries_constant(fetch, add_rows).result.json()["count"] == 20


def test_network(s: Setting) -> None:
    s.agreement()
    graph = s.client().get(f"{BASE}/network", {"country": "SE"}).json()
    assert {n["id"] for n in graph["nodes"]} == {s.own.pk, s.partner.pk}
    assert len(graph["edges"]) == 1


# --- agreements: bad input ---------------------------------------------------------------


def _bad_bodies(s: Setting) -> list[tuple[str, dict[str, Any], str]]:
    own = {"institution_id": s.own.pk, "role": "domestic"}
    return [
        ("one party", s.body(parties=[own]), "parties"),
        ("same twice", s.body(parties=[own, {**own, "role": "partner"}]), "parties"),
        ("end before start", s.body(valid_until="2023-01-01"), "valid_until"),
        (
            "unknown institution",
            s.body(parties=[own, {"institution_id": 999999, "role": "foreign"}]),
            "parties.1.institution_id",
        ),
        ("unknown programme", s.body(programme_id=999999), "programme_id"),
        ("phase of no programme", s.body(programme_id=None, phase_id=None, kind="x"), "kind"),
        ("unknown form", s.body(forms=["telepathy"]), "forms"),
        ("no english title", s.body(title={"ru": "Только"}), "title_en"),
        (
            "bad role",
            s.body(parties=[own, {"institution_id": s.partner.pk, "role": "boss"}]),
            "parties",
        ),
        (
            "negative amount",
            s.body(funding=[{"source": "X", "amount": "-1", "currency": "KZT"}]),
            "funding",
        ),
        (
            "amount not a number",
            s.body(funding=[{"source": "X", "amount": "lots", "currency": "KZT"}]),
            "funding.0.amount",
        ),
        ("parties missing", {k: v for k, v in s.body().items() if k != "parties"}, "parties"),
        (
            "bad email",
            s.body(
                parties=[
                    own,
                    {"institution_id": s.partner.pk, "role": "foreign", "contact_email": "no"},
                ]
            ),
            "contact_email",
        ),
    ]


def test_bad_agreement_input_is_a_400_with_field_errors_and_writes_nothing(s: Setting) -> None:
    client = s.client()
    for label, body, field in _bad_bodies(s):
        before = counts()
        response = send(client, "POST", f"{BASE}/agreements/", body)
        assert response.status_code == 400, (label, response.content)
        errors = response.json()["errors"]
        assert any(key == field or key.startswith(field) for key in errors), (label, errors)
        assert counts() == before, label


def test_malformed_json_is_a_400_and_writes_nothing(s: Setting) -> None:
    agreement = s.agreement()
    client = s.client()
    before = counts()
    for method, path in [("POST", "/"), ("PATCH", f"/{agreement.pk}"), ("PUT", f"/{agreement.pk}")]:
        response = send(client, method, f"{BASE}/agreements{path}", '{"kind": "strategic",')
        assert response.status_code == 400, (method, response.content)
        assert response.json()["detail"]
    assert counts() == before


def test_errors_follow_accept_language(s: Setting) -> None:
    body = s.body(parties=[{"institution_id": s.own.pk, "role": "domestic"}])
    english = send(s.client(), "POST", f"{BASE}/agreements/", body).json()
    russian = send(s.client(), "POST", f"{BASE}/agreements/", body, HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 400
    assert russian.json()["errors"]["parties"] != english["errors"]["parties"]
    assert russian.json()["detail"] != english["detail"]


# --- editing a draft ---------------------------------------------------------------------


def test_patch_changes_only_what_is_sent_and_makes_a_new_version(s: Setting) -> None:
    client = s.client()
    created = send(client, "POST", f"{BASE}/agreements/", s.body()).json()
    url = f"{BASE}/agreements/{created['id']}"
    response = send(
        client,
        "PATCH",
        url,
        {"revision": 1, "summary": "Also nursing.", "title": {"kk": "Әріптестік"}},
    )
    assert response.status_code == 200, response.content
    edited = response.json()
    assert edited["revision"] == 2 and edited["version"]["number"] == 2
    assert edited["summary"] == "Also nursing."
    assert edited["title"] == {**created["title"], "kk": "Әріптестік"}
    for key in ("kind", "forms", "funding", "valid_from", "valid_until", "programme_id"):
        assert edited[key] == created[key], key
    assert [p["institution"] for p in edited["parties"]] == [
        p["institution"] for p in created["parties"]
    ]
    assert edited["parties"][0]["signatory"] == "Rector"


def test_put_replaces_the_draft(s: Setting) -> None:
    client = s.client()
    created = send(client, "POST", f"{BASE}/agreements/", s.body()).json()
    body = s.body(revision=1, forms=[], funding=[], summary="", programme_id=None)
    body["parties"][1] = {"institution_id": s.stranger_institution.pk, "role": "college"}
    response = send(client, "PUT", f"{BASE}/agreements/{created['id']}", body)
    assert response.status_code == 200, response.content
    replaced = response.json()
    assert replaced["revision"] == 2
    assert (replaced["forms"], replaced["funding"], replaced["programme_id"]) == ([], [], None)
    assert replaced["parties"][1]["institution"]["id"] == s.stranger_institution.pk
    missing_revision = {k: v for k, v in body.items() if k != "revision"}
    response = send(client, "PUT", f"{BASE}/agreements/{created['id']}", missing_revision)
    assert response.status_code == 400
    assert "revision" in response.json()["errors"]


def test_a_stale_revision_is_a_409_and_writes_nothing(s: Setting) -> None:
    client = s.client()
    created = send(client, "POST", f"{BASE}/agreements/", s.body()).json()
    url = f"{BASE}/agreements/{created['id']}"
    assert send(client, "PATCH", url, {"revision": 1, "summary": "First"}).status_code == 200
    before = counts()
    for method, body in [
        ("PATCH", {"revision": 1, "summary": "Second"}),
        ("PUT", s.body(revision=1, summary="Second")),
    ]:
        response = send(s.client("partner_coordinator"), method, url, body)
        assert response.status_code == 409, response.content
        assert response.json()["revision"] == 2
        assert "revision 2" in response.json()["detail"]
    assert counts() == before
    agreement = Agreement.objects.get(pk=created["id"])
    assert (agreement.summary, agreement.revision) == ("First", 2)


def test_a_save_in_between_is_a_409_too(s: Setting, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone saves after the revision was checked and before the service locks the row."""
    created = send(s.client(), "POST", f"{BASE}/agreements/", s.body()).json()
    merged = agreements_api._merged

    def racing(*args: Any, **kwargs: Any) -> dict[str, Any]:
        result = merged(*args, **kwargs)
        Agreement.objects.filter(pk=created["id"]).update(revision=F("revision") + 1)
        return result

    monkeypatch.setattr(agreements_api, "_merged", racing)
    before = counts()
    response = send(
        s.client(), "PATCH", f"{BASE}/agreements/{created['id']}", {"revision": 1, "summary": "X"}
    )
    assert response.status_code == 409, response.content
    assert response.json()["revision"] == 2
    assert counts() == before
    assert Agreement.objects.get(pk=created["id"]).summary == "Mentoring in surgery."


def test_bad_edits_are_400_and_write_nothing(s: Setting) -> None:
    client = s.client()
    created = send(client, "POST", f"{BASE}/agreements/", s.body()).json()
    url = f"{BASE}/agreements/{created['id']}"
    own = {"institution_id": s.own.pk, "role": "domestic"}
    before = counts()
    for body, field in [
        ({"revision": 1, "parties": [own]}, "parties"),
        ({"revision": 1, "parties": [own, own]}, "parties"),
        ({"revision": 1, "valid_until": "2020-01-01"}, "valid_until"),
        ({"revision": 1, "parties": [own, {"institution_id": 0, "role": "x"}]}, "parties.1"),
        ({"revision": 1, "phase_id": 999999}, "phase_id"),
        ({"summary": "no revision"}, "revision"),
    ]:
        response = send(client, "PATCH", url, body)
        assert response.status_code == 400, (body, response.content)
        assert any(key.startswith(field) for key in response.json()["errors"]), body
    assert counts() == before
    assert Agreement.objects.get(pk=created["id"]).revision == 1


def test_only_a_draft_is_edited(s: Setting) -> None:
    agreement = s.agreement()
    Agreement.objects.filter(pk=agreement.pk).update(status="active")
    response = send(
        s.client(), "PATCH", f"{BASE}/agreements/{agreement.pk}", {"revision": 1, "summary": "X"}
    )
    assert response.status_code == 400
    assert Agreement.objects.get(pk=agreement.pk).revision == 1


# --- approving, the lifecycle, renewal ---------------------------------------------------


def test_from_proposal_to_renewal(s: Setting) -> None:
    own_client, partner_client = s.client(), s.client("partner_coordinator")
    created = send(own_client, "POST", f"{BASE}/agreements/", s.body()).json()
    url = f"{BASE}/agreements/{created['id']}"
    own_party, partner_party = (p["id"] for p in created["parties"])

    moved = send(own_client, "POST", f"{url}/transition", {"to": "negotiating"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "negotiating"
    assert moved.json()["next_statuses"] == ["signed", "terminated"]

    approved = send(own_client, "POST", f"{url}/approve", {"party_id": own_party, "version": 1})
    assert approved.status_code == 200, approved.content
    assert approved.json()["content_hash"] == created["version"]["content_hash"]
    early = send(
        own_client, "POST", f"{url}/transition", {"to": "signed", "signed_on": "2024-01-01"}
    )
    assert early.status_code == 400
    assert s.partner.name in early.json()["errors"]["__all__"][0]
    second = {"party_id": partner_party, "version": 1}
    assert send(partner_client, "POST", f"{url}/approve", second).status_code == 200
    detail = own_client.get(url).json()
    assert detail["missing_approvals"] == []
    assert {a["party_id"] for a in detail["approvals"]} == {own_party, partner_party}

    today = timezone.localdate().isoformat()
    signed = send(partner_client, "POST", f"{url}/transition", {"to": "signed", "signed_on": today})
    assert signed.status_code == 200, signed.content
    assert signed.json()["signed_on"] == today
    active = send(own_client, "POST", f"{url}/transition", {"to": "active", "note": "In force"})
    assert active.json()["status"] == "active" and active.json()["can_renew"] is True
    assert [t["to_status"] for t in active.json()["transitions"]] == [
        "negotiating",
        "signed",
        "active",
    ]
    assert active.json()["transitions"][-1]["note"] == "In force"

    renewed = send(own_client, "POST", f"{url}/renew", {"valid_from": "2027-01-01"})
    assert renewed.status_code == 201, renewed.content
    successor = renewed.json()
    assert successor["renewal_of_id"] == created["id"] and successor["status"] == "proposed"
    assert successor["id"] != created["id"]
    assert own_client.get(url).json()["status"] == "renewed"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"to": "active"}, "__all__"),
        ({"to": "renewed"}, "__all__"),
        ({"to": "flying"}, "__all__"),
        ({"to": "terminated"}, "note"),
        ({"to": "terminated", "note": "  "}, "note"),
        ({}, "to"),
        ({"to": "negotiating", "signed_on": "yesterday"}, "signed_on"),
    ],
)
def test_a_transition_the_lifecycle_refuses_is_a_400(s: Setting, body: Any, field: str) -> None:
    agreement = s.agreement()
    before = counts()
    response = send(s.client(), "POST", f"{BASE}/agreements/{agreement.pk}/transition", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert counts() == before
    assert Agreement.objects.get(pk=agreement.pk).status == "proposed"


def test_the_refusal_says_why(s: Setting) -> None:
    agreement = s.agreement()
    response = send(
        s.client(), "POST", f"{BASE}/agreements/{agreement.pk}/transition", {"to": "active"}
    )
    assert response.json()["errors"]["__all__"] == [
        "An agreement that is Proposed cannot become Active."
    ]


def test_signing_needs_a_date_not_in_the_future(s: Setting) -> None:
    agreement = s.agreement()
    services.agreement_transition(agreement=agreement, to="negotiating", by=s.admin)
    for party in agreement.parties.all():
        services.agreement_approve(agreement=agreement, party=party, by=s.admin, version_number=1)
    url = f"{BASE}/agreements/{agreement.pk}/transition"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for body in ({"to": "signed"}, {"to": "signed", "signed_on": tomorrow}):
        response = send(s.client(), "POST", url, body)
        assert response.status_code == 400
        assert "signed_on" in response.json()["errors"]
    assert Agreement.objects.get(pk=agreement.pk).status == "negotiating"


def test_renewing_a_draft_is_refused(s: Setting) -> None:
    agreement = s.agreement()
    before = counts()
    response = send(
        s.client(), "POST", f"{BASE}/agreements/{agreement.pk}/renew", {"valid_from": "2030-01-01"}
    )
    assert response.status_code == 400
    assert counts() == before


def test_approval_checks_party_version_and_who_approves(s: Setting) -> None:
    agreement = s.agreement()
    other = s.agreement(titles={"en": "Other"})
    own_party = agreement.parties.get(institution=s.own)
    partner_party = agreement.parties.get(institution=s.partner)
    url = f"{BASE}/agreements/{agreement.pk}/approve"
    client = s.client()
    before = counts()
    foreign_party = other.parties.get(institution=s.own).pk
    for body, status, field in [
        ({"party_id": foreign_party, "version": 1}, 400, "party_id"),
        ({"party_id": 999999, "version": 1}, 400, "party_id"),
        ({"party_id": own_party.pk, "version": 2}, 400, "__all__"),
        ({"party_id": own_party.pk}, 400, "version"),
        ({"party_id": partner_party.pk, "version": 1}, 403, None),
    ]:
        response = send(client, "POST", url, body)
        assert response.status_code == status, (body, response.content)
        if field:
            assert field in response.json()["errors"], body
    for_own = {"party_id": own_party.pk, "version": 1}
    assert send(s.client("admin"), "POST", url, for_own).status_code == 403  # not its coordinator
    assert counts() == before


# --- versions and their differences ------------------------------------------------------


def test_versions_and_diff(s: Setting) -> None:
    client = s.client()
    created = send(client, "POST", f"{BASE}/agreements/", s.body()).json()
    url = f"{BASE}/agreements/{created['id']}"
    edited = send(
        client, "PATCH", url, {"revision": 1, "summary": "Changed", "forms": ["mentoring"]}
    ).json()
    own_party = edited["parties"][0]["id"]
    send(client, "POST", f"{url}/approve", {"party_id": own_party, "version": 2})

    versions = client.get(f"{url}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["approved_by"] == [own_party]
    assert versions[1]["approved_by"] == []
    first = client.get(f"{url}/versions/1").json()
    assert first["content"]["summary"] == "Mentoring in surgery."
    assert first["content_hash"] == created["version"]["content_hash"]
    assert client.get(f"{url}/versions/3").status_code == 404

    diff = client.get(f"{url}/diff").json()
    assert (diff["a"], diff["b"]) == (1, 2)
    changes = {c["field"]: (c["old"], c["new"]) for c in diff["changes"]}
    assert changes == {
        "summary": ("Mentoring in surgery.", "Changed"),
        "forms": (["mentoring", "research"], ["mentoring"]),
    }
    assert client.get(f"{url}/diff", {"a": 2, "b": 1}).json()["changes"][0]["new"] == (
        "Mentoring in surgery."
    )
    assert client.get(f"{url}/diff", {"a": 1, "b": 7}).status_code == 404


# --- recommendations, work items, analyses -----------------------------------------------


def test_recommendations(s: Setting) -> None:
    area = services.priority_area_add(programme=s.programme, names={"en": "Surgery"})
    agreement = s.agreement(programme=s.programme)
    client = s.client()
    url = f"{BASE}/agreements/{agreement.pk}/recommendations"
    added = send(
        client, "POST", url, {"text": "Train nurses", "area_id": area.pk, "due_on": "2030-01-01"}
    )
    assert added.status_code == 201, added.content
    rec = added.json()
    assert (rec["status"], rec["area_id"]) == ("open", area.pk)
    assert Action.objects.get(pk=rec["id"]).responsible == s.coordinator

    no_evidence = send(client, "PATCH", f"{url}/{rec['id']}", {"status": "done"})
    assert no_evidence.status_code == 400
    assert "evidence" in no_evidence.json()["errors"]
    done = send(client, "PATCH", f"{url}/{rec['id']}", {"status": "done", "evidence": "Report 5"})
    assert done.status_code == 200, done.content
    assert done.json()["done_on"] == timezone.localdate().isoformat()
    assert done.json()["due_on"] == "2030-01-01"
    assert [r["id"] for r in client.get(url).json()] == [rec["id"]]

    other_programme = services.programme_create(
        owner=s.ministry, titles={"en": "Other"}, starts_on=date(2020, 1, 1)
    )
    foreign_area = services.priority_area_add(programme=other_programme, names={"en": "X"})
    for body, field in [
        ({"text": "X", "area_id": foreign_area.pk}, "area"),
        ({"text": "X", "area_id": 999999}, "area_id"),
        ({"text": "  "}, "text"),
    ]:
        response = send(client, "POST", url, body)
        assert response.status_code == 400, body
        assert field in response.json()["errors"]
    assert send(client, "PATCH", f"{url}/{rec['id']}", {"status": "lost"}).status_code == 400
    other = s.agreement()
    foreign = f"{BASE}/agreements/{other.pk}/recommendations/{rec['id']}"
    assert send(client, "PATCH", foreign, {"status": "open"}).status_code == 404
    assert Action.objects.count() == 1


def test_work_items(s: Setting) -> None:
    phase = services.phase_add(
        programme=s.programme,
        number=1,
        titles={"en": "Start"},
        starts_on=date(2016, 1, 1),
        ends_on=date(2016, 12, 31),
    )
    agreement = s.agreement(programme=s.programme, phase=phase)
    client = s.client()
    url = f"{BASE}/agreements/{agreement.pk}/work-items"
    added = send(
        client, "POST", url, {"kind": "goal", "title": "Train 20 surgeons", "period": "2016"}
    )
    assert added.status_code == 201, added.content
    assert added.json()["phase_id"] == phase.pk  # the agreement's phase when left out
    no_phase = send(
        client, "POST", url, {"kind": "result", "title": "Done", "period": "2017", "phase_id": None}
    )
    assert no_phase.json()["phase_id"] is None
    assert [i["title"] for i in client.get(url).json()] == ["Train 20 surgeons", "Done"]
    before = WorkItem.objects.count()
    for body, field in [
        ({"kind": "wish", "title": "X", "period": "2016"}, "kind"),
        ({"kind": "goal", "title": "", "period": "2016"}, "title"),
        ({"kind": "goal", "title": "X"}, "period"),
    ]:
        response = send(client, "POST", url, body)
        assert response.status_code == 400, body
        assert field in response.json()["errors"]
    assert WorkItem.objects.count() == before


def test_analyses(s: Setting) -> None:
    area = services.priority_area_add(programme=s.programme, names={"en": "Surgery"})
    agreement = s.agreement(programme=s.programme)
    client = s.client()
    url = f"{BASE}/agreements/{agreement.pk}/analyses"
    first = send(client, "POST", url, {"area_id": area.pk, "situation": "Few surgeons"})
    assert first.status_code == 200, first.content
    again = send(client, "POST", url, {"area_id": area.pk, "situation": "More surgeons"})
    assert again.json()["id"] == first.json()["id"]
    assert [a["situation"] for a in client.get(url).json()] == ["More surgeons"]
    assert send(client, "POST", url, {"area_id": area.pk, "situation": ""}).status_code == 400
    assert SituationAnalysis.objects.count() == 1


# --- documents ---------------------------------------------------------------------------


def test_documents_upload_list_and_download(s: Setting) -> None:
    agreement = s.agreement()
    client = s.client()
    url = f"{BASE}/agreements/{agreement.pk}/documents"
    uploaded = client.post(
        url,
        {"kind": "signed", "title": "Signed copy", "file": SimpleUploadedFile("scan.pdf", PDF)},
    )
    assert uploaded.status_code == 201, uploaded.content
    doc = uploaded.json()
    assert (doc["version"], doc["content_type"], doc["size"]) == (1, "application/pdf", len(PDF))
    assert [d["id"] for d in client.get(url).json()] == [doc["id"]]

    download = s.client("partner_coordinator").get(f"{url}/{doc['id']}/file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "Signed copy-v1.pdf" in download["Content-Disposition"]

    assert s.client("stranger").get(f"{url}/{doc['id']}/file").status_code == 403
    other = s.agreement()
    assert client.get(f"{BASE}/agreements/{other.pk}/documents/{doc['id']}/file").status_code == 404

    fake = client.post(
        url, {"kind": "annex", "title": "Fake", "file": SimpleUploadedFile("x.pdf", b"MZ\x90")}
    )
    assert fake.status_code == 400 and "file" in fake.json()["errors"]
    missing = client.post(url, {"kind": "annex", "title": "No file"})
    assert missing.status_code == 400
    assert Document.objects.count() == 1


# --- the schema --------------------------------------------------------------------------


def test_the_schema_documents_the_partnerships_api(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert f"{BASE}/agreements/{{pk}}/transition" in paths
    assert "409" in paths[f"{BASE}/agreements/{{pk}}"]["patch"]["responses"]
