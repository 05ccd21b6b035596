"""What accounts does when someone signs in (connected in ``AccountsConfig.ready``): the
security audit log's line and the session flags the second-factor gate reads."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from consilium.accounts import services
from consilium.accounts.middleware import SESSION_ADMIN, SESSION_FACTOR
from consilium.accounts.models import EventKind
from consilium.core.http import client_ip


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    factor_on = services.second_factor_is_on(user)
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_ADMIN] = services.is_administrator(user)
        request.session[SESSION_FACTOR] = factor_on
    services.security_event_record(
        kind=EventKind.SIGNIN,
        actor=user,
        client=client_ip(request) if request is not None else "",
        details={"second_factor": factor_on},
    )
