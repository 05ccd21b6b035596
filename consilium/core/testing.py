"""Factories and helpers shared by the test suites of every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import factory
from django.db import connections

from consilium.accounts.models import User
from consilium.core.roles import Role
from consilium.core.text import search_document, search_key
from consilium.institutions.models import Institution, InstitutionKind, Membership

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


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
            from consilium.institutions.services import rebuild_search_words

            rebuild_search_words([obj])  # type: ignore[list-item]


def member(role: str, institution: Institution | None = None, **user_fields: object) -> User:
    """A new user holding ``role`` at ``institution`` (a new one when not given)."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, institution=institution or InstitutionFactory(), role=role)
    return user



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


__all__ = ["PASSWORD", "InstitutionFactory", "Role", "UserFactory", "member", "run_concurrently"]
