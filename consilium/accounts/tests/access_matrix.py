"""The access matrix's rows for the accounts: sign-in, sign-up, passwords, the profile and API
tokens, and the API's ``/me/``. See ``tests/access_matrix.py``."""

from __future__ import annotations

from tests.access_matrix import ApiRoute, Route, everyone, network_admin, signed_in

ROWS = [
    Route("accounts:login", everyone),
    # Without a password checked first, the code page only asks to sign in first.
    Route("accounts:sign_in_code", everyone),
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
    Route("accounts:second_factor", signed_in),
    Route("accounts:second_factor_setup", signed_in, "post"),
    Route("accounts:second_factor_confirm", signed_in),
    Route("accounts:second_factor_recovery_codes", signed_in, "post"),
    Route("accounts:second_factor_disable", signed_in, "post"),
    Route("accounts:security_settings", network_admin),
    Route("accounts:security_settings", network_admin, "post", label="save"),
    Route("accounts:security_events", network_admin),
    Route("accounts:security_events_export", network_admin),
]

API_ROWS = [
    ApiRoute("GET", "/api/v1/me/", signed_in, lambda w: "/api/v1/me/"),
]
