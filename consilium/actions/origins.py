"""Where actions come from: the objects of other apps an action may concern.

This app imports none of them. An app whose objects carry actions (partnerships' agreements;
later quality's nonconformities and management reviews, events' meetings) registers an
``Origin`` from its ``AppConfig.ready()``::

    register_origin(Origin(
        model=Agreement,
        parties=lambda agreement: {p.institution_id for p in agreement.parties.all()},
        with_parties=lambda ids: Agreement.objects.filter(parties__institution_id__in=ids),
        url=lambda agreement: reverse("partnerships:agreement_detail", args=[agreement.pk]),
    ))

``parties`` answers which institutions are parties to one object (the policy lets their
members read its actions), ``with_parties`` the objects to which any of the given institutions
is a party (the visible-rows scope uses it as a subquery), ``url`` the object's page (an
action's page links back to it). ``topics`` optionally lists what part of the object an
action may be about (an agreement's priority areas), as (id, label) pairs; ``stale`` the
objects nobody works on any more, whose actions are not reminded about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Origin:
    model: type[Model]
    parties: Callable[[Any], set[int]]
    with_parties: Callable[[Iterable[int]], QuerySet[Any]]
    url: Callable[[Any], str]
    topics: Callable[[Any], list[tuple[int, str]]] | None = None
    topic_model: type[Model] | None = None
    # The objects whose actions are no longer reminded about (a terminated agreement).
    stale: Callable[[], QuerySet[Any]] | None = None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_ORIGINS: dict[str, Origin] = {}


def register_origin(origin: Origin) -> None:
    if origin.key in _ORIGINS and _ORIGINS[origin.key] != origin:
        raise ImproperlyConfigured(f"The origin {origin.key} is registered twice.")
    _ORIGINS[origin.key] = origin


def unregister_origin(key: str) -> None:
    _ORIGINS.pop(key, None)


def origins() -> list[Origin]:
    return list(_ORIGINS.values())


def origin_for(model: type[Model] | None) -> Origin | None:
    return _ORIGINS.get(model._meta.label_lower) if model is not None else None


def origin_of_type(content_type_id: int | None) -> Origin | None:
    if content_type_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return origin_for(model)


def origin_by_key(key: str) -> Origin | None:
    return _ORIGINS.get(key)


def content_type(model: type[Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)
