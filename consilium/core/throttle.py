"""Rate limits counted in the database, so that every web worker counts together.

A throttle is a counter under a key (``core.models.Throttle``) whose window starts at its first
hit: ``hit(key, window=...)`` adds one and answers the count in the current window (1 when the
window had ended, which starts a new one), ``count(key, window=...)`` reads it, ``clear(*keys)``
forgets them. ``hit`` is one atomic upsert (``INSERT … ON CONFLICT (key) DO UPDATE``, on SQLite
and PostgreSQL alike), so N concurrent hits of one key count N and each caller gets its own
number: a caller that admits an attempt only when its hit is within the limit lets exactly
``limit`` attempts through, however many workers or threads race.

Keys name what is counted without holding it: ``key("signin:ip", "203.0.113.7")`` is the kind
and a keyed hash (``salted_hmac`` with ``SECRET_KEY``) of the parts, so the table holds no
e-mail address or IP address, and one cannot tell which address a row counts by hashing the
few billion IPv4 addresses either. ``network(ip)`` is the part that stands for a client
address: the address itself, or for IPv6 its /64 (one subscriber's usual allocation, which a
client can walk through at will).

Rows whose window ended long ago are purged after a hit starts a window, in a transaction of
their own after the caller's commits and skipping rows another transaction holds, so the purge
never waits on, nor deadlocks with, the requests that count.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from consilium.core.models import Throttle

# Rows whose window started longer ago than this are deleted; no window may be longer.
KEEP = timedelta(days=7)
# Rows deleted by one purge at most (the next window started deletes more).
PURGE_BATCH = 500
_SALT = "consilium.core.throttle"


def key(kind: str, *parts: str) -> str:
    """The throttle key of ``parts`` (an e-mail address, an IP address…) for ``kind``."""
    digest = salted_hmac(_SALT, "\x1f".join([kind, *parts]), algorithm="sha256").hexdigest()
    return f"{kind}:{digest}"


def network(ip: str) -> str:
    """What stands for a client address in a key: the IPv4 address (an IPv4-mapped IPv6
    address is its IPv4 address), the /64 of an IPv6 one; anything else as it is."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _check(window: timedelta) -> None:
    if not timedelta(0) < window <= KEEP:
        raise ValueError(f"a throttle window must be positive and at most {KEEP}: {window}")


def _upsert_sql() -> tuple[str, str]:
    """The upsert of one hit and the read of its count (names quoted for the database)."""
    quote = connection.ops.quote_name
    table = quote(Throttle._meta.db_table)
    columns = {field.name: quote(field.column) for field in Throttle._meta.concrete_fields}
    key_, count_, start = columns["key"], columns["count"], columns["window_started_at"]
    # Only quoted names are formatted in; every value is a parameter. In DO UPDATE the
    # table's columns are the row as it was, on SQLite and PostgreSQL alike.
    upsert = f"""
        INSERT INTO {table} ({key_}, {count_}, {start}) VALUES (%s, 1, %s)
        ON CONFLICT ({key_}) DO UPDATE SET
            {count_} = CASE WHEN {table}.{start} > %s THEN {table}.{count_} + 1 ELSE 1 END,
            {start} = CASE WHEN {table}.{start} > %s THEN {table}.{start} ELSE %s END
    """  # noqa: S608
    read = f"SELECT {count_} FROM {table} WHERE {key_} = %s"  # noqa: S608
    return upsert, read


def hit(key: str, *, window: timedelta) -> int:
    """Count one more under ``key`` and return the count in the current window."""
    _check(window)
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    started, cutoff = adapt(now), adapt(now - window)
    upsert, read = _upsert_sql()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(upsert, [key, started, cutoff, cutoff, started])
        # The row stays locked by this transaction until it commits, so this reads the count
        # this hit made (no other hit of the key can slip in between).
        cursor.execute(read, [key])
        row = cursor.fetchone()
    counted = int(row[0]) if row else 0
    if counted == 1:
        # A failing purge is logged and never fails the request that counted.
        transaction.on_commit(purge, robust=True)
    return counted


def count(key: str, *, window: timedelta) -> int:
    """The count under ``key`` in its current window (0 when it has ended or never started)."""
    _check(window)
    found = (
        Throttle.objects.filter(key=key, window_started_at__gt=timezone.now() - window)
        .values_list("count", flat=True)
        .first()
    )
    return found or 0


def clear(*keys: str) -> None:
    """Forget the counts under ``keys``."""
    if keys:
        Throttle.objects.filter(key__in=keys).delete()


def purge(*, older_than: timedelta = KEEP) -> int:
    """Delete up to ``PURGE_BATCH`` rows whose window started longer ago than ``older_than``,
    skipping rows another transaction holds; returns how many were deleted."""
    with transaction.atomic():
        stale = list(
            Throttle.objects.select_for_update(skip_locked=True)
            .filter(window_started_at__lt=timezone.now() - older_than)
            .values_list("pk", flat=True)[:PURGE_BATCH]
        )
        if not stale:
            return 0
        deleted, _ = Throttle.objects.filter(pk__in=stale).delete()
    return deleted


__all__ = ["KEEP", "clear", "count", "hit", "key", "network", "purge"]
