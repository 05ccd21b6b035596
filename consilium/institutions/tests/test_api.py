import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consilium.accounts.services import api_token_create
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.institutions.models import Institution
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api():
    user = member(Role.NETWORK_ADMIN)
    _token, raw = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _post(client, path, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **extra)


def test_list_searches_in_any_script(client) -> None:
    InstitutionFactory(
        name_en="Karaganda State Medical University",
        search_text="karaganda state medical universiti | karagandi",
    )
    InstitutionFactory(name_en="Lund University")
    data = client.get("/api/v1/institutions/", {"q": "Қарағанды"}).json()
    assert data["count"] == 1
    assert data["results"][0]["name"]["en"] == "Karaganda State Medical University"


def test_list_paginates(client) -> None:
    InstitutionFactory.create_batch(5)
    data = client.get("/api/v1/institutions/", {"limit": 2}).json()
    assert (data["count"], len(data["results"]), data["next_offset"]) == (5, 2, 2)
    last = client.get("/api/v1/institutions/", {"limit": 2, "offset": 4}).json()
    assert last["next_offset"] is None
    assert client.get("/api/v1/institutions/", {"limit": 1000}).status_code == 400


def test_create_and_patch(admin_api) -> None:
    body = {
        "kind": "college",
        "country": "kz",
        "name": {"en": "Aral College", "kk": "Арал колледжі"},
        "aliases": ["Aral"],
    }
    response = _post(admin_api, "/api/v1/institutions/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"]["kk"] == "Арал колледжі" and created["country"] == "KZ"
    patch = admin_api.patch(
        f"/api/v1/institutions/{created['id']}",
        json.dumps({"name": {"ru": "Аральский колледж"}}),
        content_type="application/json",
    )
    assert patch.status_code == 200
    assert patch.json()["name"] == {
        "en": "Aral College",
        "ru": "Аральский колледж",
        "uk": "",
        "kk": "Арал колледжі",
    }


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "college", "country": "KZ", "name": {"en": ""}}, "name_en"),
        ({"kind": "rocket", "country": "KZ", "name": {"en": "X"}}, "kind"),
        ({"kind": "college", "country": "QQ", "name": {"en": "X"}}, "country"),
        ({"kind": "college", "country": "KZ"}, "name"),
        (
            {"kind": "college", "country": "KZ", "name": {"en": "X"}, "parent_id": 999999},
            "parent_id",
        ),
        ({"kind": 5, "country": "KZ", "name": {"en": "X"}}, "kind"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(admin_api, body, field) -> None:
    before = Institution.objects.count()
    response = _post(admin_api, "/api/v1/institutions/", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert Institution.objects.count() == before


def test_malformed_json_is_a_400(admin_api) -> None:
    response = _post(admin_api, "/api/v1/institutions/", "{not json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_duplicate_is_refused(admin_api) -> None:
    body = {"kind": "college", "country": "KZ", "name": {"en": "Twin College"}}
    assert _post(admin_api, "/api/v1/institutions/", body).status_code == 201
    second = _post(admin_api, "/api/v1/institutions/", body)
    assert second.status_code == 400
    assert "already in the directory" in second.json()["errors"]["name_en"][0]


def test_errors_follow_accept_language(admin_api) -> None:
    body = {"kind": "college", "country": "KZ", "name": {"en": ""}}
    response = _post(admin_api, "/api/v1/institutions/", body, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["detail"] != "The data is not valid."


def test_wrong_token_is_401_not_anonymous(client) -> None:
    response = client.get("/api/v1/institutions/", HTTP_AUTHORIZATION="Bearer cns_wrong")
    assert response.status_code == 401
    assert client.get("/api/v1/institutions/", HTTP_AUTHORIZATION="Basic abc").status_code == 401


def test_unknown_institution_is_404_json(client) -> None:
    response = client.get("/api/v1/institutions/999999")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_openapi_and_offline_docs(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/institutions/" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower()
    assert "https://" not in docs.replace("https://swagger.io", "")


def test_members_endpoint_hides_people_from_strangers() -> None:
    institution = InstitutionFactory()
    member(Role.TEACHER, institution, full_name="Hidden Teacher")
    stranger = member(Role.TEACHER)
    _t, raw = api_token_create(user=stranger, name="x")
    response = Client().get(
        f"/api/v1/institutions/{institution.pk}/members", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 403


def test_members_list_query_count_does_not_grow() -> None:
    institution = InstitutionFactory()
    admin = member(Role.INSTITUTION_ADMIN, institution)
    _t, raw = api_token_create(user=admin, name="x")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    fetch = get_ok(client, f"/api/v1/institutions/{institution.pk}/members")

    def add_rows() -> None:
        for _ in range(19):
            member(Role.TEACHER, institution)

    # warm_up: the first request also records when the token was last used.
    assert_queries_constant(fetch, add_rows, warm_up=True)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "kind",
                "country",
                "name",
                "short_name",
                "city",
                "website",
                "parent_id",
                "aliases",
                "extra",
            ]
        ),
        json_values,
        max_size=6,
    )
)
def test_random_bodies_never_cause_a_server_error(admin_api, body) -> None:
    response = _post(admin_api, "/api/v1/institutions/", body)
    assert response.status_code in (201, 400), response.content[:300]
