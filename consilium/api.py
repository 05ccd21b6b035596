"""The JSON API at /api/v1/: one NinjaAPI, a router per app.

Scripts authenticate with a personal token (``Authorization: Bearer cns_…``); the public
directory needs none. Errors are JSON with a message in the language of the request
(``Accept-Language``): 400 for invalid input with ``errors`` (messages) and ``codes``
(machine-readable codes) per field, 401, 403, 404.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from consilium.accounts.api_auth import token_auth
from consilium.core.api import InputParser, RefusedInput, document_errors, is_public


class ConsiliumAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``<app>_<function>`` (``partnerships_list_agreements``): the operation ids clients
        generate their methods from stay the same when an app moves its API between modules
        (ninja's default spells the whole module path). `tests/test_openapi.py` keeps them
        unique."""
        app = operation.view_func.__module__.split(".")[1]
        return f"{app}_{operation.view_func.__name__}"

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """ninja's document, with the errors each operation may answer (400/401/403/404 in the
        one ``Error`` shape of ``core.api``) and the token optional on ``@public`` operations."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        public_ids = {
            self.get_openapi_operation_id(operation)
            for router in self._get_bound_routers()
            for path_view in router.path_operations.values()
            for operation in path_view.operations
            if is_public(operation.view_func)
        }
        document_errors(schema, public_ids, type(token_auth).__name__)
        return schema


api = ConsiliumAPI(
    title="Consilium API",
    version="1",
    description=(
        "The directory and, as modules land, partnerships, courses and certificates. "
        "Create a personal token on your profile page and send it as `Authorization: Bearer`.\n\n"
        "Lists take `offset` and `limit` (at most 100) and answer `count`, `next_offset` (null "
        "on the last page) and the rows.\n\n"
        "Errors are JSON with a `detail` in the language of `Accept-Language`. Invalid input "
        "is a 400 with, per field (`__all__` for the whole request), `errors`: the messages, "
        "for people, and `codes`: one code per message, for programs, e.g. "
        '`{"detail": "The data is not valid.", "errors": {"hours": ["Enter a number."]}, '
        '"codes": {"hours": ["int_parsing"]}}`. A malformed request (a missing field, a value '
        "of the wrong type) has pydantic's error types as codes (`missing`, `int_parsing`, "
        "`string_too_long`, `json_invalid`, …); a request our rules refuse has Django's "
        "validation codes (`required`, `invalid`, `max_length`, `unique`, …), `invalid` where "
        "no other applies."
    ),
    urls_namespace="api",
    auth=token_auth,
    parser=InputParser(),
)


DEFAULT_CODE = "invalid"  # for a ValidationError raised without a code


def _invalid(
    request: HttpRequest, errors: dict[str, list[str]], codes: dict[str, list[str]]
) -> HttpResponse:
    """The 400 of invalid input: per field, the messages and, in the same order, their codes."""
    return api.create_response(
        request,
        {"detail": _("The data is not valid."), "errors": errors, "codes": codes},
        status=400,
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    fields = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for field, field_errors in fields.items():
        for error in field_errors:  # each one message with its code, as Django keeps them
            message = error.message % error.params if error.params else error.message
            errors.setdefault(field, []).append(str(message))
            codes.setdefault(field, []).append(error.code or DEFAULT_CODE)
    return _invalid(request, errors, codes)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload", "form", "file")
        ]
        field = ".".join(loc) or NON_FIELD_ERRORS
        errors.setdefault(field, []).append(_schema_message(error))
        codes.setdefault(field, []).append(str(error.get("type") or DEFAULT_CODE))
    return _invalid(request, errors, codes)


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


def _refused(request: HttpRequest, exc: RefusedInput) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": exc.message,
            "errors": {NON_FIELD_ERRORS: [exc.message]},
            "codes": {NON_FIELD_ERRORS: [exc.code]},
        },
        status=400,
    )


@api.exception_handler(RefusedInput)
def on_refused_input(request: HttpRequest, exc: RefusedInput) -> HttpResponse:
    return _refused(request, exc)


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot store (a number beyond its column): nothing was written."""
    return _refused(request, RefusedInput(_("A value is out of range."), "out_of_range"))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RefusedInput):  # the parser refused the body
        return _refused(request, exc.__cause__)
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        message = _("The request body is not valid JSON.")
        return api.create_response(
            request,
            {
                "detail": message,
                "errors": {NON_FIELD_ERRORS: [message]},
                "codes": {NON_FIELD_ERRORS: ["json_invalid"]},
            },
            status=400,
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
api.add_router("/actions/", "consilium.actions.api.router")
api.add_router("/partnerships/", "consilium.partnerships.api.router")
api.add_router("/courses/", "consilium.courses.api.router")
api.add_router("/certificates/", "consilium.certificates.api.router")
