"""Middleware of the shell."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from consilium.core.html import video_players
from consilium.core.http import _address, _networks


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


class ForwardedProtoMiddleware:
    """Believes ``X-Forwarded-Proto`` (``SECURE_PROXY_SSL_HEADER``) only from the
    ``TRUSTED_PROXIES``: from anyone else the header is dropped before Django reads it, so a
    client cannot claim HTTPS to dodge the redirect, and the request's scheme is the one the
    server saw. First in ``MIDDLEWARE``, before ``SecurityMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = settings.SECURE_PROXY_SSL_HEADER[0] if settings.SECURE_PROXY_SSL_HEADER else ""
        if header in request.META:
            remote = _address(request.META.get("REMOTE_ADDR", ""))
            networks = _networks(tuple(settings.TRUSTED_PROXIES))
            if remote is None or not any(remote in network for network in networks):
                del request.META[header]
        return self.get_response(request)


# Powerful features no page of Consilium uses, refused to every frame; the video players may
# go full screen, picture in picture and play protected media.
REFUSED_FEATURES = (
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
)
PLAYER_FEATURES = ("encrypted-media", "fullscreen", "picture-in-picture")


@lru_cache(maxsize=8)
def _headers(
    policy: tuple[tuple[str, tuple[str, ...]], ...], players: tuple[str, ...]
) -> tuple[str, str]:
    directives = dict(policy)
    directives["frame-src"] = (*directives.get("frame-src", ()), *players)
    if not directives["frame-src"]:
        directives["frame-src"] = ("'none'",)
    csp = "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
    # Permissions-Policy takes exact origins: the players' wildcard origins are left out.
    exact = " ".join(f'"{origin}"' for origin in players if "*" not in origin)
    permissions = ", ".join(
        [f"{feature}=()" for feature in REFUSED_FEATURES]
        + [f"{feature}=(self {exact})".replace(" )", ")") for feature in PLAYER_FEATURES]
    )
    return csp, permissions


def security_headers() -> tuple[str, str]:
    """The ``Content-Security-Policy`` and ``Permissions-Policy`` of the current settings."""
    policy = tuple(
        (name, tuple(sources)) for name, sources in settings.CONTENT_SECURITY_POLICY.items()
    )
    return _headers(policy, tuple(video_players()))


class SecurityHeadersMiddleware:
    """A ``Content-Security-Policy`` and a ``Permissions-Policy`` on every answer.

    The policy (``CONTENT_SECURITY_POLICY`` plus a ``frame-src`` of the video players) allows
    no inline script, event handler, ``javascript:`` address or ``style`` attribute: pages
    take their behaviour from static files. A view that sets its own policy keeps it. With
    ``CSP_REPORT_ONLY`` the policy is reported, not enforced. Django's own error pages under
    ``DEBUG`` (inline styles and scripts) are left without one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        csp, permissions = security_headers()
        name = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        if not response.has_header("Content-Security-Policy"):
            response.headers.setdefault(name, csp)
        response.headers.setdefault("Permissions-Policy", permissions)
        return response


class NulQueryMiddleware:
    """A page asked for with a NUL character in its query string (``?q=%00``) is a 400.

    No search or filter means a NUL, and PostgreSQL refuses one in any text it compares
    (SQLite does not), so without this a crafted address was a server error on PostgreSQL
    only. The API refuses it itself, with its JSON error (``core/api.py``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and any(
            "\x00" in value for _name, values in request.GET.lists() for value in values
        ):
            raise BadRequest("NUL in the query string")
        return self.get_response(request)
