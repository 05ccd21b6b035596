"""The JSON API at /api/v1/: one NinjaAPI, a router per app.

Scripts authenticate with a personal token (``Authorization: Bearer cns_…``); the public
directory needs none. Errors are JSON with a message in the language of the request
(``Accept-Language``): 400 for invalid input with ``errors`` per field, 401, 403, 404.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from consilium.accounts.api_auth import token_auth

api = NinjaAPI(
    title="Consilium API",
    version="1",
    description=(
        "The directory and, as modules land, partnerships, courses and certificates. "
        "Create a personal token on your profile page and send it as `Authorization: Bearer`."
    ),
    urls_namespace="api",
    auth=token_auth,
)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, Any] = (
        exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    )
    return api.create_response(
        request, {"detail": _("The data is not valid."), "errors": errors}, status=400
    )


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload", "form", "file")
        ]
        errors.setdefault(".".join(loc) or "__all__", []).append(_schema_message(error))
    return api.create_response(
        request, {"detail": _("The data is not valid."), "errors": errors}, status=400
    )


def _schema_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("int", "float")):
        return _("Enter a number.")
    if kind.startswith("string_too_long"):
        return _("This value is too long.")
    if kind.startswith(("string", "str")):
        return _("Enter text.")
    if "json" in kind:
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        message = _("The request body is not valid JSON.")
        return api.create_response(
            request, {"detail": message, "errors": {"__all__": [message]}}, status=400
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("A valid API token is required.")}, status=401)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_router("/institutions/", "consilium.institutions.api.router")
api.add_router("/me/", "consilium.accounts.api.router")
api.add_router("/partnerships/", "consilium.partnerships.api.router")
api.add_router("/courses/", "consilium.courses.api.router")
api.add_router("/certificates/", "consilium.credentials.api.router")
