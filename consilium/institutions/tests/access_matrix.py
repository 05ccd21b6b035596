"""The access matrix's rows for the directory: institutions, their people, invitations,
import and export, in the pages and the API. See ``tests/access_matrix.py``."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import (
    ApiRoute,
    Route,
    World,
    WorldPart,
    coordinators_anywhere,
    everyone,
    managers_of_own,
    members_of_own,
    network_admin,
    network_readers,
    other_pk,
    own_pk,
    signed_in,
)

importers = coordinators_anywhere  # who may import institutions from a spreadsheet

ROWS = [
    Route("institutions:list", everyone),
    Route("institutions:create", network_admin),
    Route("institutions:import", importers),
    # A large import's progress page: its owner's alone (a coordinator's job here).
    Route(
        "institutions:import_job",
        lambda persona: persona == "partnership_coordinator",
        kwargs=lambda w: {"job": w.import_job.pk},
        part="import_job",
    ),
    Route("institutions:export", signed_in, kwargs=lambda w: {"fmt": "csv"}),
    Route("institutions:detail", everyone, kwargs=own_pk),
    Route("institutions:edit", managers_of_own, kwargs=own_pk),
    Route("institutions:edit", network_admin, kwargs=other_pk, label="other"),
    Route("institutions:history", managers_of_own, kwargs=own_pk),
    Route("institutions:history", network_admin, kwargs=other_pk, label="other"),
    Route(
        "institutions:invite",
        managers_of_own,
        "post",
        kwargs=own_pk,
        data=lambda w: {"email": "new@example.org", "role": "teacher"},
    ),
    Route(
        "institutions:invite",
        network_admin,
        "post",
        kwargs=other_pk,
        label="other",
        data=lambda w: {"email": "new@example.org", "role": "teacher"},
    ),
    Route(
        "institutions:membership_role",
        managers_of_own,
        "post",
        kwargs=lambda w: {"pk": w.own.pk, "membership": w.target_membership["own"].pk},
        data=lambda w: {"role": "learner"},
    ),
    Route(
        "institutions:membership_role",
        network_admin,
        "post",
        label="other",
        kwargs=lambda w: {"pk": w.other.pk, "membership": w.target_membership["other"].pk},
        data=lambda w: {"role": "learner"},
    ),
    Route(
        "institutions:membership_remove",
        managers_of_own,
        "post",
        kwargs=lambda w: {"pk": w.own.pk, "membership": w.target_membership["own"].pk},
    ),
    Route(
        "institutions:membership_remove",
        network_admin,
        "post",
        label="other",
        kwargs=lambda w: {"pk": w.other.pk, "membership": w.target_membership["other"].pk},
    ),
    Route(
        "institutions:invitation_cancel",
        managers_of_own,
        "post",
        kwargs=lambda w: {"pk": w.own.pk, "invitation": w.target_invitation["own"].pk},
    ),
    Route(
        "institutions:invitation_cancel",
        network_admin,
        "post",
        label="other",
        kwargs=lambda w: {"pk": w.other.pk, "invitation": w.target_invitation["other"].pk},
    ),
    Route(
        "institutions:invitation_accept", everyone, kwargs=lambda w: {"token": "unknown"}, ok=(410,)
    ),
]


def _institution_body(w: World) -> dict[str, Any]:
    return {"kind": "college", "country": "KZ", "name": {"en": "Brand New College"}}


API_ROWS = [
    ApiRoute("GET", "/api/v1/institutions/", everyone, lambda w: "/api/v1/institutions/"),
    ApiRoute(
        "POST",
        "/api/v1/institutions/",
        network_admin,
        lambda w: "/api/v1/institutions/",
        _institution_body,
    ),
    ApiRoute(
        "GET", "/api/v1/institutions/{pk}", everyone, lambda w: f"/api/v1/institutions/{w.own.pk}"
    ),
    ApiRoute(
        "PATCH",
        "/api/v1/institutions/{pk}",
        managers_of_own,
        lambda w: f"/api/v1/institutions/{w.own.pk}",
        lambda w: {"website": "https://x.kz"},
    ),
    ApiRoute(
        "PATCH",
        "/api/v1/institutions/{pk}",
        network_admin,
        lambda w: f"/api/v1/institutions/{w.other.pk}",
        lambda w: {"website": "https://x.kz"},
        label="other",
    ),
    ApiRoute(
        "GET",
        "/api/v1/institutions/{pk}/members",
        members_of_own,
        lambda w: f"/api/v1/institutions/{w.own.pk}/members",
    ),
    ApiRoute(
        "GET",
        "/api/v1/institutions/{pk}/members",
        network_readers,
        lambda w: f"/api/v1/institutions/{w.other.pk}/members",
        label="other",
    ),
]


def _import_job(w: World) -> dict[str, Any]:
    from consilium.core.models import Job
    from consilium.institutions.spreadsheets import JOB_KIND

    owner = w.users["partnership_coordinator"]
    return {"import_job": Job.objects.create(kind=JOB_KIND, user=owner, filename="big.csv")}


WORLD_PARTS = [WorldPart("import_job", _import_job)]
