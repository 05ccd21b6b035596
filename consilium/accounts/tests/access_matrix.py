"""The access matrix's rows for the accounts: sign-in, sign-up, passwords, the profile and API
tokens, and the API's ``/me/``. See ``tests/access_matrix.py``."""

from __future__ import annotations

from tests.access_matrix import ApiRoute, Route, everyone, signed_in

ROWS = [
    Route("accounts:login", everyone),
    Route("accounts:sign_up", everyone),
    Route("accounts:logout", everyone, "post"),
    Route("accounts:password_reset", everyone),
    Route("accounts:password_reset_done", everyone),
    Route(
        "accounts:password_reset_confirm",
        everyone,
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    Route("accounts:password_reset_complete", everyone),
    Route("accounts:profile", signed_in),
    Route("accounts:tokens", signed_in),
    Route("accounts:token_revoke", signed_in, "post", kwargs=lambda w: {"pk": 999999}, ok=(404,)),
]

API_ROWS = [
    ApiRoute("GET", "/api/v1/me/", signed_in, lambda w: "/api/v1/me/"),
]
