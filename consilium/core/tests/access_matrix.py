"""The access matrix's rows for the shell: the site's root pages (``core:`` routes, whose views
live with their owners, see ``consilium/urls.py``) and the API's own pages (the OpenAPI
document and its docs). See ``tests/access_matrix.py``."""

from __future__ import annotations

from tests.access_matrix import ApiRoute, Route, everyone

ROWS = [
    Route("core:home", everyone),
    Route("core:health", everyone),
    Route("core:floor", everyone),
    Route("core:set_language", everyone, "post", data=lambda w: {"language": "ru"}),
]

API_ROWS = [
    ApiRoute("GET", "/api/v1/openapi.json", everyone, lambda w: "/api/v1/openapi.json"),
    ApiRoute("GET", "/api/v1/docs", everyone, lambda w: "/api/v1/docs"),
]
