"""A view that declares ``request: AuthedRequest`` runs only for signed-in people.

``AuthedRequest.user`` is the ``User`` model, which is true only under a permission that
refuses anonymous visitors (``@requires`` sends them to sign in before the view runs). This
test reads each named view's signature and checks, against the access matrix, that no route
of a view declared so lets an anonymous visitor in.
"""

from __future__ import annotations

import inspect
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from consilium.accounts.http import AuthedRequest
from tests.test_access_matrix import VIEW_ROUTES


def _views(patterns: list[Any], prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found |= _views(pattern.url_patterns, space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[prefix + pattern.name] = pattern.callback
    return found


def _request_annotation(view: Any) -> Any:
    parameters = list(inspect.signature(view).parameters.values())
    return parameters[0].annotation if parameters else None


def test_typed_requests_are_only_declared_where_anonymous_visitors_are_refused() -> None:
    views = _views(get_resolver().url_patterns)
    authed = {
        name
        for name, view in views.items()
        if _request_annotation(view) in (AuthedRequest, "AuthedRequest")
    }
    assert authed, "no view declares AuthedRequest: the test reads signatures wrongly"
    open_to_anonymous = [
        route.id for route in VIEW_ROUTES if route.name in authed and route.allowed("anonymous")
    ]
    assert open_to_anonymous == []
