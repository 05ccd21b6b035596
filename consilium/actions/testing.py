"""Factories of actions that other apps' tests use."""

from __future__ import annotations

from datetime import date
from typing import Any

from consilium.actions import services
from consilium.actions.models import Action
from consilium.institutions.testing import InstitutionFactory


def make_action(**fields: Any) -> Action:
    """An action through the service (an institution and a title of its own unless given)."""
    fields.setdefault("institution", InstitutionFactory())
    fields.setdefault("kind", "improvement")
    fields.setdefault("titles", {"en": "Do the thing"})
    fields.setdefault("by", None)
    if isinstance(fields.get("opened_on"), str):
        fields["opened_on"] = date.fromisoformat(fields["opened_on"])
    return services.action_create(**fields)
