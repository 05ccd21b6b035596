"""The one way a write enters the database: ``@service``.

Every public function of an app's ``services`` module (or package) is either

* ``@service``: it writes, so it runs in one transaction (``transaction.atomic``), and the
  content versions it names in ``bumps`` are bumped after its own writes and before the commit
  (a failed service bumps nothing; the version row is locked as briefly as possible); or
* ``@read_only``: a helper that only reads or computes. It is refused any INSERT, UPDATE or
  DELETE at run time, so a read-only helper that starts writing fails its tests at once instead
  of writing outside a transaction.

``consilium/core/tests/test_services.py`` walks every app's services and fails when a public
function carries neither mark. That test exists because pytest-django runs each test inside a
transaction: a service that forgot to be atomic behaves in the suite as if it were, and
overbooked a course on SQLite and answered 500 on PostgreSQL in production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Literal, ParamSpec, TypeVar, overload

from django.db import connections, transaction

from consilium.core import public_cache

P = ParamSpec("P")
R = TypeVar("R")

MARK = "__consilium_service__"
Kind = Literal["write", "read"]

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@overload
def service(fn: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def service(*, bumps: Iterable[str] = ()) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def service(fn: Callable[P, R] | None = None, /, *, bumps: Iterable[str] = ()) -> Any:
    """Run a write service in one transaction and bump the content versions in ``bumps``.

    Nested services join the outer transaction (Django's ``atomic`` makes a savepoint), so a
    service may call another and the whole stays all-or-nothing.
    """
    names = list(bumps)

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with transaction.atomic():
                result = func(*args, **kwargs)
                if names:
                    public_cache.bump_many(names)
                return result

        setattr(wrapper, MARK, "write")
        return wrapper

    return decorate(fn) if fn is not None else decorate


class ReadOnlyViolation(RuntimeError):
    """A ``@read_only`` helper tried to write: make it a ``@service``."""


def read_only(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a public helper of a services module that does not write (and refuse it writes)."""

    def refuse_writes(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith(_WRITES):
            raise ReadOnlyViolation(f"{func.__module__}.{func.__qualname__} wrote: {sql[:80]}")
        return execute(sql, params, many, context)

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with connections["default"].execute_wrapper(refuse_writes):
            return func(*args, **kwargs)

    setattr(wrapper, MARK, "read")
    return wrapper


def kind_of(func: Any) -> Kind | None:
    """``"write"`` for a ``@service``, ``"read"`` for a ``@read_only`` helper, else None."""
    return getattr(func, MARK, None)
