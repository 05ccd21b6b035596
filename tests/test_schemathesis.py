"""Schemathesis against the published OpenAPI document: no server error, no answer that breaks
the document.

Every operation of ``/api/v1/openapi.json`` is called with examples generated from its schema
(valid and invalid), anonymously and with the API tokens of two roles (an institution
administrator and a learner), and each answer is checked: ``not_a_server_error``,
``response_schema_conformance`` (the body is what the document says for that status) and
``status_code_conformance`` (the status is one the document lists). The examples per
operation are bounded (``SCHEMATHESIS_EXAMPLES``, 4 by default) so that the run stays within a
few minutes; set it higher for a deeper local run. Marked ``schemathesis``: ``make api-fuzz``
runs it (CI does), ``make test`` leaves it out.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from consilium.core.roles import Role
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
IDENTITIES = ["anonymous", Role.INSTITUTION_ADMIN.value, Role.LEARNER.value]


def _token(role: str) -> dict[str, str]:
    from consilium.accounts.services import api_token_create
    from consilium.accounts.testing import UserFactory

    if role == "anonymous":
        return {}
    user = UserFactory()
    Membership.objects.create(user=user, institution=InstitutionFactory(), role=role)
    _t, raw = api_token_create(user=user, name=f"fuzz-{role}")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def _connections_stay_open() -> Any:
    """The WSGI handler closes the database connection after each answer (``request_finished``);
    inside a test's transaction it must stay open, as Django's test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.mark.parametrize("identity", IDENTITIES)
def test_the_api_keeps_its_contract(identity: str) -> None:
    headers = _token(identity)
    schema = _schema()
    failures: list[str] = []
    operations = examples = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        seen: list[int] = [0]

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            seen[0] += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # a check failed: keep going, report them all
                failures.append(f"{operation.label} ({identity}): {str(exc)[:600]}")

        run()
        examples += seen[0]
    print(f"schemathesis[{identity}]: {operations} operations, {examples} examples")
    assert failures == [], "\n\n".join(dict.fromkeys(failures))
