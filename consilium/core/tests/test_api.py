"""The API kit (core/api.py) and the OpenAPI document it feeds (consilium/api.py)."""

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from ninja.errors import HttpError

from consilium.accounts.models import User
from consilium.accounts.services import api_token_create
from consilium.api import api


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
