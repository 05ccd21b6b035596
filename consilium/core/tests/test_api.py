"""The API kit (core/api.py) and the OpenAPI document it feeds (consilium/api.py)."""

import json
import re
import typing
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from ninja.errors import HttpError
from pydantic import BaseModel

from consilium.accounts.models import User
from consilium.accounts.services import api_token_create
from consilium.api import api
from consilium.core.api import MAX_OFFSET, Page, Paging, Texts, page, texts

LIST_ENDPOINTS = {
    # path: (component of the 200 answer, key of the rows)
    "/api/v1/institutions/": ("Page_InstitutionOut_", "results"),
    "/api/v1/partnerships/programmes/": ("Page_ProgrammeListItem_", "results"),
    "/api/v1/partnerships/agreements/": ("Page_AgreementSummary_", "results"),
    "/api/v1/courses/catalog/": ("Page_CourseSummary_", "results"),
    "/api/v1/courses/enrolments/": ("Page_EnrolmentOut_", "results"),
    "/api/v1/courses/authored/": ("ItemsPage_CourseOut_", "items"),
    "/api/v1/courses/reviews/": ("ItemsPage_ReviewOut_", "items"),
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def _component_name(model: type[BaseModel]) -> str:
    # pydantic names a component after the class, ``Page[X]`` becoming ``Page_X_``
    return re.sub(r"[^a-zA-Z0-9.\-_]", "_", model.__name__)


def _models_in(annotation: Any, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models_in(field.annotation, found)
        return
    for arg in typing.get_args(annotation):  # list[X], X | None, dict[str, X], …
        _models_in(arg, found)


def _schemas_of_operations() -> set[type[BaseModel]]:
    """Every schema an operation's parameters, body or answers reach (not ninja's wrappers
    themselves, which are flattened into the operation)."""
    api.get_openapi_schema()  # builds the nested routers
    found: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    if isinstance(wrapper, type) and issubclass(wrapper, BaseModel):
                        for field in wrapper.model_fields.values():
                            _models_in(field.annotation, found)
    return found


def test_no_two_schemas_share_a_component_name(document) -> None:
    # ninja merges every operation's schemas into one components table by name: two classes
    # with one name would leave only one of them there, and the other operations' $refs would
    # describe a schema they do not answer with (the catalog's course once listed the
    # authoring runs as its runs).
    models = _schemas_of_operations()
    assert len(models) > 50
    by_name: dict[str, set[str]] = {}
    for model in models:
        by_name.setdefault(_component_name(model), set()).add(
            f"{model.__module__}.{model.__qualname__}"
        )
    collisions = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert collisions == {}
    assert {_component_name(m) for m in models} <= set(document["components"]["schemas"])


def test_operation_ids_are_unique_and_name_the_app_not_the_module(document) -> None:
    # Clients generate their method names from operation ids: ``<app>_<function>`` (``partnerships_list_agreements``) keeps them
    # when an app splits its API into modules (partnerships' api.py became a package).
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)) > 40
    apps = {"accounts", "institutions", "partnerships", "courses", "certificates"}
    assert all(i.split("_", 1)[0] in apps | {"notifications", "actions"} for i in ids), ids
    assert "partnerships_list_agreements" in ids and not any("_api_" in i for i in ids)


def test_every_ref_resolves(document) -> None:
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(document)))
    assert refs and refs <= set(document["components"]["schemas"])


def test_each_list_answers_a_page_of_its_own(document) -> None:
    schemas = document["components"]["schemas"]
    for path, (component, key) in LIST_ENDPOINTS.items():
        answer = document["paths"][path]["get"]["responses"][200]["content"]
        assert answer["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{component}"
        }, path
        assert set(schemas[component]["properties"]) == {"count", "next_offset", key}, path
        params = {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}
        assert (params["offset"]["maximum"], params["limit"]["maximum"]) == (MAX_OFFSET, 100)


def test_texts_in_four_languages_are_one_component(document) -> None:
    schemas = document["components"]["schemas"]
    assert set(schemas["Texts"]["properties"]) == {"en", "ru", "uk", "kk"}
    assert not {"Names", "Titles"} & set(schemas)
    assert schemas["InstitutionOut"]["properties"]["name"] == {"$ref": "#/components/schemas/Texts"}
    assert schemas["ProgrammeDetail"]["properties"]["title"] == {
        "$ref": "#/components/schemas/Texts"
    }


def test_page_fetches_one_row_more_to_know_whether_another_follows() -> None:
    rows = list(range(7))
    assert page(rows, Paging(offset=2, limit=3)) == {
        "count": 7,
        "next_offset": 5,
        "results": [2, 3, 4],
    }
    assert page(rows, Paging(offset=4, limit=3), key="items") == {
        "count": 7,
        "next_offset": None,
        "items": [4, 5, 6],
    }
    assert page(rows, Paging(offset=9, limit=20), lambda shown: [r * 10 for r in shown]) == {
        "count": 7,
        "next_offset": None,
        "results": [],
    }
    converted = page(rows, Paging(offset=0, limit=2), lambda shown: [r * 10 for r in shown])
    assert converted["results"] == [0, 10] and converted["next_offset"] == 2
    assert Page[int].model_validate(converted).model_dump() == converted


def test_texts_reads_each_language_of_a_translated_field() -> None:
    class Row:
        name_en = "Lund University"
        name_ru = "Лундский университет"
        name_uk = None

    assert texts(Row(), "name") == {
        "en": "Lund University",
        "ru": "Лундский университет",
        "uk": "",
        "kk": "",
    }
    assert Texts.model_validate(texts(Row(), "name")).model_dump() == texts(Row(), "name")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field, code",
    [
        ({"offset": MAX_OFFSET + 1}, "offset", "less_than_equal"),
        ({"offset": -1}, "offset", "greater_than_equal"),
        ({"limit": 0}, "limit", "greater_than_equal"),
        ({"limit": 101}, "limit", "less_than_equal"),
        ({"limit": "many"}, "limit", "int_parsing"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/institutions/", "/api/v1/courses/catalog/"])
def test_paging_has_one_bound_everywhere_and_says_why_in_codes(
    client, path, params, field, code
) -> None:
    response = client.get(path, params)
    assert response.status_code == 400
    body = response.json()
    assert body["codes"] == {field: [code]}
    assert len(body["errors"][field]) == 1
    assert client.get(path, {"offset": MAX_OFFSET, "limit": 100}).status_code == 200


@pytest.fixture
def token_client(db) -> Client:
    user = User.objects.create_user(email="scripts@example.org", password="x" * 16)
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize(
    "body, errors, codes",
    [
        (
            '{"variant_id": "x"}',
            {"variant_id": ["Enter a number."]},
            {"variant_id": ["int_parsing"]},
        ),
        (
            "{not json",
            {"__all__": ["The request body is not valid JSON."]},
            {"__all__": ["json_invalid"]},
        ),
    ],
)
def test_schema_errors_carry_pydantic_types_as_codes(token_client, body, errors, codes) -> None:
    response = token_client.post(
        "/api/v1/courses/catalog/runs/1/enrol", body, content_type="application/json"
    )
    assert response.status_code == 400
    data = response.json()
    assert (data["errors"], data["codes"]) == (errors, codes)


def test_a_missing_field_is_coded_missing(token_client) -> None:
    response = token_client.post(
        "/api/v1/courses/enrolments/1/quizzes/1/attempts", "{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["codes"] == {"answers": ["missing"]}


def _answer(exc: Exception) -> tuple[int, dict[str, Any]]:
    request = RequestFactory().post("/api/v1/institutions/")
    response = api.on_exception(request, exc)
    return response.status_code, json.loads(response.content)


def test_validation_errors_carry_their_codes_beside_their_messages() -> None:
    exc = ValidationError(
        {
            "name_en": [
                ValidationError("This field is required.", code="required"),
                ValidationError("Too long: %(n)s.", code="max_length", params={"n": 3}),
            ],
            "country": ValidationError("Choose a country."),  # raised without a code
        }
    )
    status, body = _answer(exc)
    assert status == 400
    assert body["errors"] == {
        "name_en": ["This field is required.", "Too long: 3."],
        "country": ["Choose a country."],
    }
    assert body["codes"] == {"name_en": ["required", "max_length"], "country": ["invalid"]}


@pytest.mark.parametrize(
    "exc, codes",
    [
        (ValidationError("The run is full."), ["invalid"]),
        (ValidationError("The run is full.", code="full"), ["full"]),
        (ValidationError([ValidationError("A", code="a"), ValidationError("B")]), ["a", "invalid"]),
    ],
)
def test_errors_of_the_whole_request_are_under_all(exc, codes) -> None:
    status, body = _answer(exc)
    assert status == 400
    assert body["codes"] == {"__all__": codes}
    assert len(body["errors"]["__all__"]) == len(codes)


def test_the_request_body_that_is_not_json_is_coded() -> None:
    status, body = _answer(HttpError(400, "Cannot parse request body"))
    assert status == 400 and body["codes"] == {"__all__": ["json_invalid"]}
