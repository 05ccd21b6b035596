"""No input gives a 500: every page and API operation against the inputs that break servers.

The sweep is parametrised from the access matrix (every named route and every API operation
has a row there, see ``tests/test_access_matrix.py``), so a new page or operation is swept as
soon as it gets its row. Each row is requested as a persona it allows, so the input reaches the
code behind the permission check, with:

* query strings: ``?offset=1e20``, ``?limit=-5``, ``?page=99999999999999999999``, NUL, lone
  surrogates (``%ED%A0%80``), integers beyond 64 bits, on the paging parameters and on every
  parameter the page's forms or the operation's OpenAPI parameters name;
* ids in the URL beyond the column's range (``2**63``, 20 digits): a 404, never an overflow;
* bodies: NUL, a lone surrogate (``"\\ud800"`` in JSON), ``2**63``, ``-1``, ``1e20`` and
  ``"1e20"`` in each field; and for JSON operations a body that is not an object (``[]``,
  ``"x"``, ``1``, ``null``): a 400 with a message.

A 5xx anywhere fails the row, naming each request that gave one and its exception. Run it on
PostgreSQL too (``DATABASE_URL=postgres://…``): PostgreSQL refuses NUL in text and integers
beyond the column where SQLite stores them.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from consilium.api import api
from tests.access_matrix import PERSONAS, ApiRoute, Route, World, build_world, collect

MATRIX = collect()

HUGE = 2**63  # one beyond a 64-bit column
HUGER = "99999999999999999999"
NUL = "\x00"
SURROGATE = "\ud800"  # a lone surrogate: not encodable as UTF-8, refused by PostgreSQL
SURROGATE_IN_URL = "%ED%A0%80"  # its (invalid) UTF-8 spelling in a URL or a form

# Query strings every list must survive (on every page, list or not: they are ignored where
# they mean nothing).
PAGING_QUERIES = [
    "offset=1e20",
    "offset=-1",
    f"offset={HUGER}",
    "limit=-5",
    "limit=1e20",
    f"limit={HUGER}",
    f"page={HUGER}",
    "page=-1",
    "page=1e20",
    "page=%00",
    "q=%00",
    f"q={SURROGATE_IN_URL}",
]
# Values for each named parameter or field.
QUERY_VALUES = ["%00", SURROGATE_IN_URL, HUGER, "-1", "1e20"]
JSON_VALUES: list[Any] = [f"a{NUL}b", SURROGATE, HUGE, -1, 1e20, "1e20"]
FORM_VALUES = [f"a{NUL}b", str(HUGE), HUGER, "-1", "1e20"]
NOT_OBJECTS = ["[]", '"x"', "1", "null", "[{}]"]

OPENAPI = api.get_openapi_schema()


def _persona(allowed: Any) -> str:
    """The persona the row is requested as: one it allows (the most powerful first), so that
    the input gets past the permission check."""
    preference = ["network_admin", *[p for p in PERSONAS if p != "network_admin"]]
    return next((p for p in preference if allowed(p)), "anonymous")


def _server_error(response: Any) -> bool:
    return int(response.status_code) >= 500


def _describe(what: str, response: Any) -> str:
    exc = getattr(response, "exc_info", None)
    cause = f" {exc[0].__name__}: {exc[1]}" if exc else ""
    return f"{what} → {response.status_code}{cause}"[:400]


# --- the pages ------------------------------------------------------------------------------


def _form_fields(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([\w-]+)"', html)) - {
        "csrfmiddlewaretoken"
    }


def _parts(rows: list[Any]) -> list[str]:
    return sorted({row.part for row in rows})


@pytest.mark.django_db
@pytest.mark.parametrize("part", _parts(MATRIX.rows), ids=lambda p: p or "default")
def test_pages_survive_bad_input(part: str) -> None:
    """Every page of the part (one world for them all: the sweep is long)."""
    world = build_world(part, MATRIX.parts)
    failures: list[str] = []
    for route in MATRIX.rows:
        if route.part == part:
            with transaction.atomic():  # each row sees the world as built
                failures += _sweep_page(route, world)
                transaction.set_rollback(True)
    assert failures == [], "\n".join(failures)


def _sweep_page(route: Route, world: World) -> list[str]:
    persona = _persona(route.allowed)
    client = Client(raise_request_exception=False)
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    kwargs = route.kwargs(world)
    url = reverse(route.name, kwargs=kwargs)
    failures: list[str] = []

    def check(method: str, target: str, data: Any = None, **extra: Any) -> Any:
        response = getattr(client, method)(target, data, **extra)
        if _server_error(response):
            failures.append(_describe(f"{method.upper()} {target} {data!r}"[:200], response))
        return response

    if route.method == "get":
        first = check("get", url)
        names = (
            _form_fields(first.content.decode(errors="replace"))
            if first.status_code == 200 and not first.streaming  # exports, downloads
            else set()
        )
        queries = list(PAGING_QUERIES)
        queries += [f"{quote(name)}={value}" for name in sorted(names) for value in QUERY_VALUES]
        for query in queries:
            check("get", f"{url}?{query}")
    else:
        data = route.data(world)
        for key in data:
            for value in FORM_VALUES:
                check(route.method, url, {**data, key: value})
            # a lone surrogate cannot be encoded by the client: send its bytes
            check(
                route.method,
                url,
                f"{quote(key)}={SURROGATE_IN_URL}",
                content_type="application/x-www-form-urlencoded",
            )
    # Ids beyond the column's range: not found (or refused), never an overflow.
    for key, value in kwargs.items():
        if isinstance(value, int):
            for huge in (HUGE, int(HUGER)):
                try:
                    target = reverse(route.name, kwargs={**kwargs, key: huge})
                except NoReverseMatch:
                    continue
                response = check(route.method, target, route.data(world))
                if response.status_code == 200 and route.method == "get":
                    failures.append(f"GET {target} found a row with id {huge}")
    return failures


# --- the API --------------------------------------------------------------------------------


def _operation(route: ApiRoute) -> dict[str, Any]:
    """The row's operation in the OpenAPI document ({} for the API's own pages)."""
    path = route.path.removeprefix("/api/v1")
    found = OPENAPI["paths"].get("/api/v1" + path, OPENAPI["paths"].get(path, {}))
    return dict(found.get(route.method.lower(), {}))


def _path_params(template: str, url: str) -> dict[int, str]:
    """The positions of the URL's segments that are integer path parameters."""
    found = {}
    for index, (part, actual) in enumerate(
        zip(template.split("/"), url.split("?")[0].split("/"), strict=False)
    ):
        if part.startswith("{") and actual.isdigit():
            found[index] = part
    return found


def _body_fields(operation: dict[str, Any]) -> set[str]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = OPENAPI["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return set(schema.get("properties", {}))


def _token_headers(world: World, persona: str) -> dict[str, str]:
    from consilium.accounts.services import api_token_create

    user = world.users[persona]
    if user is None:
        return {}
    _token, raw = api_token_create(user=user, name="no-500")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
@pytest.mark.parametrize("part", _parts(MATRIX.api_rows), ids=lambda p: p or "default")
def test_api_survives_bad_input(part: str) -> None:
    """Every API operation of the part (one world for them all)."""
    world = build_world(part, MATRIX.parts)
    failures: list[str] = []
    for route in MATRIX.api_rows:
        if route.part == part and _operation(route):
            with transaction.atomic():  # each row sees the world as built
                failures += _sweep_operation(route, world)
                transaction.set_rollback(True)
    assert failures == [], "\n".join(failures)


def _sweep_operation(route: ApiRoute, world: World) -> list[str]:
    headers = _token_headers(world, _persona(route.allowed))
    client = Client(raise_request_exception=False)
    url = route.url(world)
    failures: list[str] = []
    operation = _operation(route)

    def send(target: str, body: str | None = None, expect: tuple[int, ...] = ()) -> Any:
        response = client.generic(
            route.method,
            target,
            data=body if body is not None else "",
            content_type="application/json",
            **headers,
        )
        what = f"{route.method} {target} {(body or '')[:120]}"
        if _server_error(response):
            failures.append(_describe(what, response))
        elif expect and response.status_code not in expect:
            failures.append(_describe(what, response) + " (expected " + str(expect) + ")")
        elif (
            response.status_code >= 400
            and response.get("Content-Type", "").startswith("application/json")
            and not json.loads(response.content).get("detail")
        ):
            failures.append(_describe(what, response) + " without a detail")
        return response

    body = route.body(world) if route.body else None
    raw_body = json.dumps(body) if body is not None else None
    if route.form is None:
        # Query strings: paging and each declared parameter.
        names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
        queries = list(PAGING_QUERIES)
        queries += [f"{quote(name)}={value}" for name in sorted(names) for value in QUERY_VALUES]
        for query in queries:
            send(f"{url}?{query}", raw_body)
        # Integer ids beyond the column's range.
        segments = url.split("/")
        for index in _path_params(route.path, url):
            for huge in (str(HUGE), HUGER, "-1"):
                target = "/".join([*segments[:index], huge, *segments[index + 1 :]])
                send(target, raw_body, expect=(400, 401, 403, 404, 405, 422))
    if "requestBody" in operation and route.form is None:
        for not_object in NOT_OBJECTS:
            send(url, not_object, expect=(400, 422))
        fields = set(body or {}) | _body_fields(operation)
        for field in sorted(fields):
            for value in JSON_VALUES:
                # json.dumps spells a lone surrogate as the escape "\ud800", as a client would
                send(url, json.dumps({**(body or {}), field: value}))
    return failures


# --- the rules behind the sweep, fast ---------------------------------------------------------


def _post(path: str, body: str, **headers: Any) -> Any:
    return Client(raise_request_exception=False).post(
        path, body, content_type="application/json", **headers
    )


@pytest.mark.django_db
@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_json_body_must_be_an_object(body: str) -> None:
    response = _post("/api/v1/courses/authored/", body, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    answer = json.loads(response.content)
    assert answer["codes"] == {"__all__": ["object_expected"]}
    assert answer["detail"] != "The request body must be a JSON object."  # translated


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "code"),
    [
        (NUL, "null_characters_not_allowed"),
        (SURROGATE, "null_characters_not_allowed"),
        ({"deep": [f"x{NUL}"]}, "null_characters_not_allowed"),
        (2**64, "number_too_large"),
        (-(2**64), "number_too_large"),
    ],
)
def test_a_json_body_holds_nothing_a_column_cannot(value: Any, code: str) -> None:
    response = _post("/api/v1/courses/authored/", json.dumps({"title": value}))
    assert response.status_code == 400
    assert json.loads(response.content)["codes"] == {"__all__": [code]}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%00", "offset=1e20", "limit=-5", f"offset={HUGER}"])
def test_a_list_refuses_bad_query_strings(query: str) -> None:
    response = Client(raise_request_exception=False).get(f"/api/v1/institutions/?{query}")
    assert response.status_code == 400
    assert json.loads(response.content)["detail"]


def test_every_operation_documents_its_errors() -> None:
    schema = api.get_openapi_schema()
    assert {"Error", "Invalid"} <= set(schema["components"]["schemas"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = {int(status) for status in operation["responses"]}
            where = f"{method.upper()} {path}"
            assert {401, 403} <= statuses, where
            if operation.get("parameters") or "requestBody" in operation:
                assert 400 in statuses, where
            if "{" in path:
                assert 404 in statuses, where


def test_public_operations_do_not_demand_a_token() -> None:
    """The operations the access matrix lets anonymous use are the ones documented with an
    optional token (``@public``), and no other."""
    schema = api.get_openapi_schema()
    optional = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if {} in operation.get("security", [])
    }
    anonymous = {
        (row.method, row.path)
        for row in MATRIX.api_rows
        if _operation(row) and row.allowed("anonymous")
    }
    assert optional == anonymous
