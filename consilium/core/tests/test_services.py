"""Every public function of every app's services is a ``@service`` (atomic) or ``@read_only``.

pytest-django runs each test in a transaction, so a service that forgot to be atomic passes
every other test and fails only in production (``enrol`` did: 500 on PostgreSQL, overbooking on
SQLite). This walks the services of every installed Consilium app instead of trusting review.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pytest
from django.apps import apps
from django.db import connection, transaction

from consilium.core.models import ContentVersion
from consilium.core.services import ReadOnlyViolation, kind_of, read_only, service


def _services_modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("consilium.") or config.name == "consilium.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        yield module
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            yield importlib.import_module(f"{module.__name__}.{info.name}")


def _public_functions() -> list[tuple[str, object]]:
    found = []
    for module in _services_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if inspect.unwrap(value).__module__ != module.__name__:
                continue  # imported from elsewhere
            found.append((f"{module.__name__}.{name}", value))
    return found


PUBLIC = _public_functions()


def test_the_walk_finds_the_services_of_every_app() -> None:
    names = {name for name, _ in PUBLIC}
    assert "consilium.courses.services.learning.enrolment_create" in names
    assert "consilium.partnerships.services.agreements.agreement_create" in names
    assert len(PUBLIC) > 100


@pytest.mark.parametrize(("name", "function"), PUBLIC, ids=[name for name, _ in PUBLIC])
def test_every_public_service_is_atomic_or_read_only(name: str, function: object) -> None:
    assert kind_of(function) in {"write", "read"}, (
        f"{name} is neither @service (atomic) nor @read_only: a write outside a transaction "
        "passes the suite and breaks in production"
    )


@pytest.mark.django_db(transaction=True)
def test_a_service_is_one_transaction_and_bumps_only_on_success() -> None:
    seen: list[bool] = []

    @service(bumps=["probe"])
    def write(*, fail: bool) -> None:
        seen.append(connection.in_atomic_block)
        ContentVersion.objects.create(name="written", version=1)
        if fail:
            raise ValueError("refused")

    with pytest.raises(ValueError):
        write(fail=True)
    assert not ContentVersion.objects.filter(name__in=["written", "probe"]).exists()
    write(fail=False)
    assert seen == [True, True]
    assert ContentVersion.objects.get(name="probe").version == 1
    assert not connection.in_atomic_block


@pytest.mark.django_db
def test_a_read_only_helper_is_refused_writes() -> None:
    @read_only
    def sneaky() -> None:
        ContentVersion.objects.create(name="sneaky", version=1)

    with pytest.raises(ReadOnlyViolation), transaction.atomic():
        sneaky()
    assert not ContentVersion.objects.filter(name="sneaky").exists()
