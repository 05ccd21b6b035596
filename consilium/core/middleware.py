"""Middleware of the shell."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person or to a
    request with an API token, unless the view set its own ``Cache-Control``.

    A page that shows a new API token, a person's certificates or an agreement's documents
    must not be kept by the browser's back-forward cache on a shared computer, nor by any
    proxy. Anonymous answers (the public directory and catalog) stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "Authorization" in request.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response
