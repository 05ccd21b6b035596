"""Who is acting and from where, for the security audit log: the request being served, set by
``middleware.UserLanguageMiddleware`` and read by ``services.security_event_record`` when its
caller (a service of another app, which has no request) does not say."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from consilium.core.http import client_ip


@dataclass(frozen=True)
class Acting:
    request: HttpRequest | None = None

    @property
    def user(self) -> Any:
        """The signed-in person (by session or, once the API has read it, by token)."""
        user = getattr(self.request, "user", None)
        return user if getattr(user, "is_authenticated", False) else None

    @property
    def client(self) -> str:
        return client_ip(self.request) if self.request is not None else ""


_acting: ContextVar[Acting] = ContextVar("consilium_acting", default=Acting())  # noqa: B039


def acting() -> Acting:
    return _acting.get()


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    token = _acting.set(Acting(request=request))
    try:
        yield
    finally:
        _acting.reset(token)
