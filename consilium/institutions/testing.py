"""Factories of the directory for the test suites of every app: institutions and people
holding roles at them."""

from __future__ import annotations

import factory

from consilium.accounts.models import User
from consilium.accounts.testing import UserFactory
from consilium.core.text import search_document, search_key
from consilium.institutions.models import Institution, InstitutionKind, Membership


class InstitutionFactory(factory.django.DjangoModelFactory):
    """Rows as the services would write them (keys computed), for fast test set-up."""

    class Meta:
        model = Institution
        skip_postgeneration_save = True

    kind = InstitutionKind.UNIVERSITY
    country = "KZ"
    name_en = factory.Sequence(lambda n: f"Test Medical University {n}")
    name_ru = factory.Sequence(lambda n: f"Тестовый медицинский университет {n}")
    city_en = "Almaty"

    @factory.lazy_attribute
    def name_key(self) -> str:
        return search_key(self.name_en)

    @factory.lazy_attribute
    def search_text(self) -> str:
        return search_document(self.name_en, self.name_ru)

    @factory.post_generation
    def _search_words(obj, create, extracted, **kwargs):
        if create:
            from consilium.institutions.services import institution_search_rebuild

            institution_search_rebuild([obj])  # type: ignore[list-item]


def member(role: str, institution: Institution | None = None, **user_fields: object) -> User:
    """A new user holding ``role`` at ``institution`` (a new one when not given)."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, institution=institution or InstitutionFactory(), role=role)
    return user


__all__ = ["InstitutionFactory", "member"]
