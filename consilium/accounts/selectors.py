"""Reads about accounts: the security audit log (network administrators only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from consilium.accounts.models import SecurityEvent
from consilium.core import access


def visible_security_events(user: Any) -> QuerySet[SecurityEvent]:
    """The whole log for network administrators, nothing for anyone else."""
    if access.grants(user).is_network_admin:
        return SecurityEvent.objects.all()
    return SecurityEvent.objects.none()


@dataclass(frozen=True)
class SecurityEventFilter:
    kind: str = ""
    actor: str = ""  # a part of the actor's e-mail address
    since: date | None = None
    until: date | None = None  # inclusive

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> SecurityEventFilter:
        return cls(
            kind=data.get("kind") or "",
            actor=(data.get("actor") or "").strip().lower(),
            since=data.get("since"),
            until=data.get("until"),
        )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def security_event_list(
    user: Any, flt: SecurityEventFilter | None = None
) -> QuerySet[SecurityEvent]:
    """The log's lines the user may read, newest first, filtered."""
    rows = visible_security_events(user).select_related("actor")
    flt = flt or SecurityEventFilter()
    if flt.kind:
        rows = rows.filter(kind=flt.kind)
    if flt.actor:
        rows = rows.filter(actor_email__contains=flt.actor)
    if flt.since:
        rows = rows.filter(at__gte=_start_of(flt.since))
    if flt.until:
        rows = rows.filter(at__lt=_start_of(flt.until + timedelta(days=1)))
    return rows.order_by("-at", "-pk")
