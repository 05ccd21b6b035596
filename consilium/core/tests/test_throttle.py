"""The throttle store: counters in the database that every worker shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from consilium.core import throttle
from consilium.core.models import Throttle
from consilium.core.testing import run_concurrently

WINDOW = timedelta(minutes=15)


def _age(key: str, by: timedelta) -> None:
    """Move a counter's window start back in time, as if ``by`` had passed."""
    row = Throttle.objects.get(key=key)
    Throttle.objects.filter(key=key).update(window_started_at=row.window_started_at - by)


@pytest.mark.django_db
def test_hits_count_up_per_key_and_clear_forgets() -> None:
    assert [throttle.hit("a", window=WINDOW) for _ in range(3)] == [1, 2, 3]
    assert throttle.hit("b", window=WINDOW) == 1
    assert throttle.count("a", window=WINDOW) == 3
    assert throttle.count("never", window=WINDOW) == 0
    throttle.clear("a", "never")
    assert throttle.count("a", window=WINDOW) == 0
    assert throttle.count("b", window=WINDOW) == 1


@pytest.mark.django_db
def test_a_window_starts_at_the_first_hit_and_ends_after_its_length() -> None:
    throttle.hit("k", window=WINDOW)
    throttle.hit("k", window=WINDOW)
    _age("k", WINDOW - timedelta(seconds=5))
    assert throttle.hit("k", window=WINDOW) == 3  # still the same window: it did not move on
    _age("k", timedelta(seconds=10))
    assert throttle.count("k", window=WINDOW) == 0
    assert throttle.hit("k", window=WINDOW) == 1  # a new window
    started = Throttle.objects.get(key="k").window_started_at
    assert timezone.now() - started < timedelta(seconds=5)


@pytest.mark.django_db
@pytest.mark.parametrize("window", [timedelta(0), timedelta(seconds=-1), throttle.KEEP * 2])
def test_a_window_must_be_positive_and_at_most_what_is_kept(window: timedelta) -> None:
    with pytest.raises(ValueError):
        throttle.hit("k", window=window)
    with pytest.raises(ValueError):
        throttle.count("k", window=window)


@pytest.mark.django_db
def test_purge_deletes_only_counters_long_over() -> None:
    throttle.hit("old", window=WINDOW)
    throttle.hit("recent", window=WINDOW)
    _age("old", throttle.KEEP + timedelta(minutes=1))
    _age("recent", throttle.KEEP - timedelta(minutes=1))
    assert throttle.purge() == 1
    assert set(Throttle.objects.values_list("key", flat=True)) == {"recent"}
    assert throttle.purge() == 0


@pytest.mark.django_db
def test_starting_a_window_purges_after_the_commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    throttle.hit("old", window=WINDOW)
    _age("old", throttle.KEEP + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        throttle.hit("new", window=WINDOW)
    assert len(callbacks) == 1
    assert not Throttle.objects.filter(key="old").exists()
    with django_capture_on_commit_callbacks() as callbacks:
        throttle.hit("new", window=WINDOW)  # the same window: nothing to purge for
    assert callbacks == []


def test_keys_hold_no_address_in_clear_and_depend_on_the_secret() -> None:
    made = throttle.key("signin:pair", "aigerim@example.kz", "203.0.113.7")
    assert made.startswith("signin:pair:")
    assert "aigerim" not in made and "203.0.113" not in made
    max_length = Throttle._meta.get_field("key").max_length
    assert max_length is not None and len(made) <= max_length
    assert made == throttle.key("signin:pair", "aigerim@example.kz", "203.0.113.7")
    assert made != throttle.key("signin:pair", "aigerim@example.kz", "203.0.113.8")
    # Parts are kept apart: moving text from one part to the next gives another key.
    assert throttle.key("k", "ab", "c") != throttle.key("k", "a", "bc")
    assert made != throttle.key("signup:ip", "aigerim@example.kz", "203.0.113.7")
    with override_settings(SECRET_KEY="another-secret-" + "x" * 50):
        assert made != throttle.key("signin:pair", "aigerim@example.kz", "203.0.113.7")


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::2", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_a_client_address_counts_as_itself_or_its_ipv6_64(ip: str, expected: str) -> None:
    assert throttle.network(ip) == expected


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_count_every_one_and_each_gets_its_own_number() -> None:
    """N workers failing at once count N: no lost update when the row is first inserted nor
    when it is updated, on SQLite (one writer at a time) and PostgreSQL (ON CONFLICT)."""
    n = 8

    def one_hit() -> int:
        return throttle.hit("burst", window=WINDOW)

    first = run_concurrently(*[one_hit] * n)
    assert sorted(first) == list(range(1, n + 1)), first
    second = run_concurrently(*[one_hit] * n)
    assert sorted(second) == list(range(n + 1, 2 * n + 1)), second
    assert throttle.count("burst", window=WINDOW) == 2 * n
    assert Throttle.objects.filter(key="burst").count() == 1
