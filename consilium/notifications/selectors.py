"""Reads of notifications: a person only ever sees their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from consilium.notifications.models import Notification


def notification_list(user: Any) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def notification_unread_count(user: Any) -> int:
    """How many of the person's notifications are unread: one COUNT over a partial index."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notification_unread_count_for(request: HttpRequest) -> int:
    """The shell's bell: the unread count of the request's person (0 for anonymous)."""
    user = getattr(request, "user", None)
    return notification_unread_count(user) if user is not None else 0
