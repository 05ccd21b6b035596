"""A change of someone's memberships retires their cached pages (core/person_cache.py).

A signal rather than a call in each service, so that the admin's edits and the deletions that
cascade from an institution or a person are covered too; it runs inside the writing
transaction (the services' and the admin's are atomic).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from consilium.core.person_cache import bump_people
from consilium.institutions.models import Membership


def _roles_changed(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    bump_people([instance.user_id])


def connect() -> None:
    post_save.connect(_roles_changed, sender=Membership, dispatch_uid="membership-person-cache")
    post_delete.connect(_roles_changed, sender=Membership, dispatch_uid="membership-person-cache")
