"""The access matrix's rows for actions: the lists, one action, its changes, exports and the
API, with the actions' part of the world. See ``tests/access_matrix.py``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consilium.accounts.testing import UserFactory
from consilium.actions import services
from consilium.core.roles import Role
from tests.access_matrix import ApiRoute, Route, World, WorldPart, network_readers, signed_in


def build(world: World) -> dict[str, Any]:
    """A corrective action of own, done and with a criterion (so it may be judged), and one
    open improvement of own to move on; both with a responsible person outside the personas."""
    by = world.users[Role.NETWORK_ADMIN.value]
    responsible = UserFactory()
    today = timezone.localdate()
    action = services.action_create(
        institution=world.own,
        kind="improvement",
        titles={"en": "Publish syllabi on time"},
        by=by,
        responsible=responsible,
        due_on=today + timedelta(days=30),
    )
    done = services.action_create(
        institution=world.own,
        kind="corrective",
        titles={"en": "Fix the late syllabi"},
        by=by,
        responsible=responsible,
        check_criterion="All online by February",
    )
    services.action_transition(action=done, to="done", by=by, data={"evidence": "All online"})
    evidence = services.evidence_upload(
        action=action, title="Minutes", upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4 x"), by=by
    )
    return {"action": action, "done_action": done, "evidence": evidence}


WORLD_PARTS = [WorldPart("actions", build)]

READERS = (
    Role.INSTITUTION_ADMIN,
    Role.PARTNERSHIP_COORDINATOR,
    Role.QUALITY_MANAGER,
    Role.AUDITOR,
)
CHANGERS = (Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR, Role.QUALITY_MANAGER)


def readers(persona: str) -> bool:
    """Own's readers of actions and the network's readers."""
    return network_readers(persona) or persona in READERS


def changers(persona: str) -> bool:
    """Own's coordinators and quality managers, and the network administrator."""
    return persona == Role.NETWORK_ADMIN or persona in CHANGERS


action_pk = lambda w: {"pk": w.action.pk}  # noqa: E731
done_pk = lambda w: {"pk": w.done_action.pk}  # noqa: E731

ROWS = [
    Route("actions:action_mine", signed_in, part="actions"),
    Route("actions:action_network", network_readers, part="actions"),
    Route("actions:action_create", changers, part="actions"),
    Route("actions:action_export", signed_in, kwargs=lambda w: {"fmt": "csv"}, part="actions"),
    Route("actions:action_institution", readers, kwargs=lambda w: {"pk": w.own.pk}, part="actions"),
    Route("actions:action_detail", readers, kwargs=action_pk, part="actions"),
    Route("actions:action_edit", changers, kwargs=action_pk, part="actions"),
    Route(
        "actions:action_transition",
        changers,
        "post",
        kwargs=action_pk,
        data=lambda w: {"to": "in_progress"},
        part="actions",
    ),
    Route(
        "actions:action_judge",
        changers,
        "post",
        kwargs=done_pk,
        data=lambda w: {"result": "effective"},
        part="actions",
    ),
    Route("actions:evidence_upload", changers, "post", kwargs=action_pk, part="actions"),
    Route(
        "actions:evidence_download",
        readers,
        kwargs=lambda w: {"pk": w.action.pk, "file": w.evidence.pk},
        ok=(200,),
        part="actions",
    ),
]

A = "/api/v1/actions"

API_ROWS = [
    ApiRoute("GET", f"{A}/", signed_in, lambda w: f"{A}/", part="actions"),
    ApiRoute("GET", f"{A}/counts", network_readers, lambda w: f"{A}/counts", part="actions"),
    ApiRoute(
        "POST",
        f"{A}/",
        changers,
        lambda w: f"{A}/",
        lambda w: {"kind": "decision", "institution_id": w.own.pk, "title": {"en": "Decide"}},
        part="actions",
    ),
    ApiRoute("GET", f"{A}/{{pk}}", readers, lambda w: f"{A}/{w.action.pk}", part="actions"),
    ApiRoute(
        "PATCH",
        f"{A}/{{pk}}",
        changers,
        lambda w: f"{A}/{w.action.pk}",
        lambda w: {"evidence": "Minutes"},
        part="actions",
    ),
    ApiRoute(
        "POST",
        f"{A}/{{pk}}/status",
        changers,
        lambda w: f"{A}/{w.action.pk}/status",
        lambda w: {"to": "in_progress"},
        part="actions",
    ),
    ApiRoute(
        "POST",
        f"{A}/{{pk}}/check",
        changers,
        lambda w: f"{A}/{w.done_action.pk}/check",
        lambda w: {"result": "effective"},
        part="actions",
    ),
]
