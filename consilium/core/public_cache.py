"""Caching of public answers that are the same for every reader of a language.

The directory is public: its list page for anonymous visitors and its API answers do not
depend on who asks. They are cached under a key that holds the content version
(``ContentVersion``), the language and the full path, so that any write through the services
(which call ``bump``) retires them everywhere at once. Signed-in visitors' pages carry the
person's name and form tokens: ``core/person_cache.py`` caches those per person.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from consilium.core.models import ContentVersion

TIMEOUT = 600

T = TypeVar("T")


def current(name: str) -> int:
    """The content version, read with plain SQL: every cached answer asks, so it is the
    largest part of a cache hit after the middleware (the ORM's query building cost more)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM core_contentversion WHERE name = %s", [name])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump(name: str) -> None:
    """Retire every cached answer about ``name``; call inside the writing transaction."""
    updated = ContentVersion.objects.filter(name=name).update(version=F("version") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(name=name, defaults={"version": 1})


def bump_many(names: list[str]) -> None:
    """``bump`` each of ``names`` in two queries; call inside the writing transaction."""
    if not names:
        return
    updated = ContentVersion.objects.filter(name__in=names).update(version=F("version") + 1)
    if updated < len(names):
        existing = set(ContentVersion.objects.filter(name__in=names).values_list("name", flat=True))
        ContentVersion.objects.bulk_create(
            [ContentVersion(name=name, version=1) for name in names if name not in existing],
            ignore_conflicts=True,
        )


def _key(name: str, request: HttpRequest, extra: str = "") -> str:
    language = translation.get_language() or ""
    htmx = "h" if request.headers.get("HX-Request") else "p"
    return f"public:{name}:{current(name)}:{language}:{htmx}:{extra}:{request.get_full_path()}"


def cached_for_anonymous(
    name: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache a view's 200 answers to anonymous GETs without pending messages."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                request.method != "GET"
                or request.user.is_authenticated
                or len(messages.get_messages(request))
            ):
                return view(request, *args, **kwargs)
            key = _key(name, request)
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
            return response

        return wrapper

    return decorate


def cached_json(name: str, request: HttpRequest, build: Callable[[], T]) -> T:
    """The value ``build()`` makes for this path, from the cache when the version matches."""
    key = _key(name, request, "json")
    stored: T | None = cache.get(key)
    if stored is not None:
        return stored
    value = build()
    cache.set(key, value, TIMEOUT)
    return value
