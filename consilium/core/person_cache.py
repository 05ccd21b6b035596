"""Whole-response caching of signed-in people's pages: ``@cached_per_person(...)``.

A signed-in page (the agreements list, later the course catalogue or a dashboard) is the same
each time one person asks for it until something it shows changes. The decorator keeps a
view's 200 answers to GET and HEAD under a key made of

* the person: id and the fields the shell shows or decides by (name, e-mail, staff,
  superuser), so another person never gets someone else's page;
* the versions (``core.ContentVersion``, read in one query) of the content named by the view
  (e.g. ``"partnerships"``, ``"directory"``) and of the person (``person:<id>``), which the
  services bump inside their writing transactions: the content's services on every write, the
  directory's memberships on a change of the person's roles (``institutions.signals``), the
  notifications service when the person's unread count changes;
* the active language, today's date (lists filter on "ending soon"), htmx or not, and the
  full path.

Form tokens stay valid: before a page is stored, each CSRF token in it (a masked copy of the
session's CSRF secret, found by unmasking) becomes a placeholder, and a cache hit puts a fresh
token for the asking request's own secret in its place, as rendering would have done.

Nothing is served from or stored in the cache when the request is not GET/HEAD, the person is
not signed in, or messages are pending or shown; only 200 answers that set no cookie and do
not stream are stored. A hit skips the view and the decorators inside it, so put it outside
``@requires(...)`` only when the permission depends on nothing but the person, their
memberships and the versioned content (``agreement.list`` does): a hit is then a page this
person was allowed to see under the same memberships.

A hit costs the session and user queries every signed-in request makes (only the user's with
a shared cache, where sessions are ``cached_db``), plus one query for the versions. Each worker keeps its own copies (``CACHES["default"]``); a bumped version
retires every worker's copies at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # the check Django uses
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.utils import timezone, translation

from consilium.core.models import ContentVersion
from consilium.core.public_cache import TIMEOUT, bump_many

PLACEHOLDER = b"\x00consilium-csrf-token\x00"
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)
_SKIPPED_HEADERS = {"content-length", "set-cookie"}


def person_version(user_id: int) -> str:
    """The ContentVersion name of what a person's pages show about them (roles, unread)."""
    return f"person:{user_id}"


def bump_people(user_ids: Iterable[int]) -> None:
    """Retire the cached pages of these people; call inside the writing transaction."""
    bump_many(sorted({person_version(pk) for pk in user_ids}))


def _versions(names: tuple[str, ...]) -> tuple[int, ...]:
    # Plain SQL: the ORM would spend longer building this query than the database answering
    # it, on a path that is meant to cost little more than the session and the user.
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        # Only placeholders and the model's own table name are formatted in; names are params.
        sql = f"SELECT name, version FROM {table} WHERE name IN ({marks})"  # noqa: S608
        cursor.execute(sql, names)
        found = dict(cursor.fetchall())
    return tuple(found.get(name, 0) for name in names)


def _key(request: HttpRequest, user: Any, content: tuple[str, ...]) -> str:
    versions = _versions((*content, person_version(user.pk)))
    parts = (
        user.pk,
        user.get_username(),
        user.get_full_name(),
        user.get_short_name(),
        user.is_staff,
        user.is_superuser,
        versions,
        translation.get_language(),
        timezone.localdate().isoformat(),
        bool(getattr(request, "htmx", False)),
        request.get_full_path(),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"person:{user.pk}:{digest}"


def _pending_messages(request: HttpRequest) -> bool:
    return bool(len(messages.get_messages(request)))


def _without_tokens(request: HttpRequest, content: bytes) -> tuple[bytes, bool] | None:
    """The content with this request's CSRF tokens replaced by the placeholder.

    None when the page cannot be stored (it already holds the placeholder's bytes).
    """
    if PLACEHOLDER in content:
        return None
    secret = request.META.get("CSRF_COOKIE")
    if not secret:  # rendering asked for no token
        return content, False
    found = False

    def swap(match: re.Match[bytes]) -> bytes:
        nonlocal found
        if _unmask_cipher_token(match.group().decode("ascii")) == secret:
            found = True
            return PLACEHOLDER
        return match.group()

    return _TOKEN.sub(swap, content), found


def _store(request: HttpRequest, key: str, response: HttpResponse, timeout: int) -> None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or _pending_messages(request)  # added by the view, or shown on the page
    ):
        return
    stripped = _without_tokens(request, response.content)
    if stripped is None:
        return
    content, has_token = stripped
    headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS]
    cache.set(key, (content, headers, has_token), timeout)


def _replay(
    request: HttpRequest, stored: tuple[bytes, list[tuple[str, str]], bool]
) -> HttpResponse:
    content, headers, has_token = stored
    if has_token:
        content = content.replace(PLACEHOLDER, get_token(request).encode("ascii"))
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def cached_per_person(
    *content: str, timeout: int = TIMEOUT
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache a view's answers per signed-in person; ``content`` names the versions it shows.

    Example::

        @cached_per_person("partnerships", "directory")
        @requires("agreement.list")
        def agreement_list(request): ...
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if (
                request.method not in ("GET", "HEAD")
                or not user.is_authenticated
                or _pending_messages(request)
            ):
                return view(request, *args, **kwargs)
            key = _key(request, user, content)
            stored = cache.get(key)
            if stored is not None:
                return _replay(request, stored)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            _store(request, key, response, timeout)
            return response

        return wrapper

    return decorate
