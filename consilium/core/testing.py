"""Helpers shared by the test suites of every app (the factories of people and institutions
are in ``accounts/testing.py`` and ``institutions/testing.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class ConstantQueries:
    """What ``assert_queries_constant`` measured: the queries of one call, the last result."""

    count: int
    result: Any


def _captured(fetch: Callable[[], Any], using: str) -> tuple[list[str], Any]:
    with CaptureQueriesContext(connections[using]) as context:
        result = fetch()
    return [query["sql"] for query in context.captured_queries], result


def assert_queries_constant(
    fetch: Callable[[], Any],
    add_rows: Callable[[], Any],
    *,
    warm_up: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> ConstantQueries:
    """Assert that ``fetch()`` costs as many queries after ``add_rows()`` as before.

    The "1 row and 20 rows give the same count" check of every list: set up one row, then
    ``fetch`` renders or calls the list (a page, an API call, a selector evaluated the way its
    template reads it) and ``add_rows`` adds the other rows (say 19). ``warm_up`` calls
    ``fetch`` once before the first count, for work done once per client (the session, a
    token's first use noted); work to redo after the rows are added (a cache to clear) belongs
    at the end of ``add_rows``. On failure the message lists the queries of both calls.
    Returns the count and what the last ``fetch`` returned, for further assertions.
    """
    if warm_up:
        fetch()
    before, _ = _captured(fetch, using)
    add_rows()
    after, result = _captured(fetch, using)
    if len(after) != len(before):
        listing = "\n".join(
            [f"{len(before)} queries before add_rows():"]
            + [f"  {n}. {sql}" for n, sql in enumerate(before, 1)]
            + [f"{len(after)} queries after:"]
            + [f"  {n}. {sql}" for n, sql in enumerate(after, 1)]
        )
        raise AssertionError(f"The query count changed with the rows added.\n{listing}")
    return ConstantQueries(count=len(after), result=result)


def get_ok(client: Client, path: str, data: Any = None, **extra: Any) -> Callable[[], Any]:
    """A ``fetch`` for ``assert_queries_constant``: GET ``path``, check 200, return the response."""

    def fetch() -> Any:
        response = client.get(path, data, **extra)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return fetch


def run_concurrently(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run each call in its own thread, all released at once, each on its own database
    connection (for ``django_db(transaction=True)`` tests of locks and constraints).

    Returns what each call returned or the exception it raised, in the order given. Every
    thread closes its connection, so the test database can be dropped afterwards.
    """
    import threading

    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            outcomes[index] = call()
        except BaseException as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a concurrent call did not finish"
    return outcomes


__all__ = [
    "ConstantQueries",
    "assert_queries_constant",
    "get_ok",
    "run_concurrently",
]
