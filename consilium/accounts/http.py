"""Typed requests of signed-in people.

A view whose permission refuses anonymous visitors (everything but ``public``,
``directory.view``, ``course.catalog``, ``course.view`` and the like) runs only for a signed-in,
active person: ``@requires`` sends everyone else to sign in first. Such a view declares
``request: AuthedRequest``, whose ``user`` is the ``User`` model, and hands ``request.user`` to
services that want a ``User`` without a cast. ``tests/test_typed_requests.py`` checks that
every view declared so refuses anonymous visitors in the access matrix.

An API endpoint checks its permission inside the function (``access.require``), so it asks
``signed_in_user(request)`` after the check instead.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from consilium.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User


def signed_in_user(request: HttpRequest) -> User:
    """The request's person; refused (403) when nobody is signed in."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
