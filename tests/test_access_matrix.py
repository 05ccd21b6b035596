"""Every role against every view and API endpoint: what each may see and do.

Each app names its routes and API operations once, with who is allowed, in
``consilium/<app>/tests/access_matrix.py`` (``ROWS``, ``API_ROWS``, and the part of the world
they need, ``WORLD_PARTS``); this module collects them from every installed app and walks
every persona against every row. The personas, the base world and the row types are the
shared kit in ``tests/access_matrix.py``.

A route that is added to the URL configuration or an operation added to the API without a row
in some app's matrix fails ``test_every_route_is_in_the_matrix`` /
``test_every_api_operation_is_in_the_matrix``: there is no way to add a page without saying who
may use it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consilium.api import api
from tests.access_matrix import PERSONAS, ApiRoute, Route, World, build_world, collect

MATRIX = collect()
VIEW_ROUTES = MATRIX.rows
API_ROUTES = MATRIX.api_rows

# Routes that are not ours to police: Django's admin (staff only, its own checks) and static.
EXCLUDED_PREFIXES = ("admin:",)


def _named_routes(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _named_routes(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    ours = {
        name
        for name in _named_routes(get_resolver().url_patterns)
        if not name.startswith(EXCLUDED_PREFIXES) and not name.startswith("api:")
    }
    covered = {route.name for route in VIEW_ROUTES}
    assert ours - covered == set(), "add these routes to ROWS in their app's access_matrix.py"
    assert covered - ours == set(), "these routes no longer exist"


def test_every_view_declares_its_access_rule() -> None:
    def walk(patterns: list[Any]) -> list[URLPattern]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                found += walk(pattern.url_patterns)
            else:
                found.append(pattern)
        return found

    undeclared = [
        p.name for p in walk(get_resolver().url_patterns) if not hasattr(p.callback, "access_rule")
    ]
    assert undeclared == []


def test_every_api_operation_is_in_the_matrix() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), "/api/v1" + path.removeprefix("/api/v1"))
        for path, ops in schema["paths"].items()
        for method in ops
    }
    # The API's own pages (the OpenAPI document and its docs) are rows but not operations.
    own_pages = {("GET", f"/api/v1{url}") for url in (api.openapi_url, api.docs_url) if url}
    covered = {(r.method, r.path) for r in API_ROUTES}
    assert operations - covered == set(), "add these to API_ROWS in their app's access_matrix.py"
    assert covered - operations - own_pages == set(), "these operations no longer exist"


def test_the_matrix_is_collected_from_the_apps() -> None:
    """Rows come from each app that has a ``tests/access_matrix.py``, and every row's part of
    the world is one some app builds."""
    assert MATRIX.modules and MATRIX.rows and MATRIX.api_rows
    assert len({r.id for r in VIEW_ROUTES}) == len(VIEW_ROUTES), "two rows share an id"
    assert len({r.id for r in API_ROUTES}) == len(API_ROUTES), "two rows share an id"
    parts = {part.name for part in MATRIX.parts}
    assert {r.part for r in [*VIEW_ROUTES, *API_ROUTES] if r.part} <= parts


def _client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", VIEW_ROUTES, ids=lambda r: r.id)
def test_view_access(route: Route, persona: str) -> None:
    world = build_world(route.part, MATRIX.parts)
    client = _client_for(world, persona)
    url = reverse(route.name, kwargs=route.kwargs(world))
    response = getattr(client, route.method)(url, route.data(world))
    allowed = route.allowed(persona)
    is_login_redirect = response.status_code == 302 and "/accounts/sign-in/" in response.get(
        "Location", ""
    )
    if allowed:
        assert response.status_code in route.ok, (persona, response.status_code)
        assert not (is_login_redirect and route.name != "accounts:logout"), persona
    elif persona == "anonymous":
        assert is_login_redirect, response.status_code
    else:
        assert response.status_code == 403, (persona, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.id)
def test_api_access(route: ApiRoute, persona: str) -> None:
    from consilium.accounts.services import api_token_create

    world = build_world(route.part, MATRIX.parts)
    headers = {}
    user = world.users[persona]
    if user is not None:
        _token, raw = api_token_create(user=user, name="matrix")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client = Client()
    if route.form is not None:
        response = client.post(route.url(world), route.form(world), **headers)
    else:
        body = route.body(world) if route.body else None
        response = client.generic(
            route.method,
            route.url(world),
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )
    if route.allowed(persona):
        assert response.status_code in route.ok, (
            persona,
            response.status_code,
            response.content[:300],
        )
    elif persona == "anonymous":
        assert response.status_code in (401, 403), response.status_code
    else:
        assert response.status_code == 403, (persona, response.status_code)
