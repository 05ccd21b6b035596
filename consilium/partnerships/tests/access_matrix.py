"""The access matrix's rows for the partnerships: programmes, agreements and what they carry,
in the pages and the API, and the partnerships' part of the world (built for every row that
names no part). See ``tests/access_matrix.py``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consilium.core.roles import Role
from consilium.institutions.testing import InstitutionFactory
from consilium.partnerships import services as ps
from tests.access_matrix import (
    ApiRoute,
    Route,
    World,
    WorldPart,
    coordinators_anywhere,
    members_of_own,
    network_admin,
    network_readers,
)


def build(world: World) -> dict[str, Any]:
    """A programme of the ministry; a public draft between own and a partner (with a document
    and a recommendation); a non-public memorandum between other and the partner."""
    partner = InstitutionFactory(name_en="Partner University", country="US")
    coordinator = world.users[Role.NETWORK_ADMIN.value]
    programme = ps.programme_create(
        owner=world.ministry, titles={"en": "Programme"}, starts_on=date(2016, 1, 1), by=coordinator
    )
    draft = ps.agreement_create(
        kind="strategic",
        titles={"en": "Own draft"},
        by=coordinator,
        programme=programme,
        parties=[
            ps.PartyData(institution=world.own, role="domestic"),
            ps.PartyData(institution=partner, role="foreign"),
        ],
    )
    hidden = ps.agreement_create(
        kind="memorandum",
        titles={"en": "Hidden"},
        by=coordinator,
        is_public=False,
        parties=[
            ps.PartyData(institution=world.other, role="clinical_base"),
            ps.PartyData(institution=partner, role="college"),
        ],
    )
    document = ps.document_upload(
        agreement=draft,
        kind="annex",
        title="Annex",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
        by=coordinator,
    )
    recommendation = ps.recommendation_add(agreement=draft, text="Do it")
    return {
        "programme": programme,
        "draft": draft,
        "hidden": hidden,
        "document": document,
        "recommendation": recommendation,
    }


WORLD_PARTS = [WorldPart("partnerships", build, default=True)]


def document_readers(persona: str) -> bool:
    """An agreement's documents: the parties' coordinators and administrators, and the
    network's readers; not every member of a party (a learner there may not read them)."""
    return network_readers(persona) or persona in (
        Role.INSTITUTION_ADMIN,
        Role.PARTNERSHIP_COORDINATOR,
    )


def own_party_coordinators(persona: str) -> bool:
    """Who approves for own: its coordinators and administrators, not the network admin."""
    return persona in (Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR)


draft_pk = lambda w: {"pk": w.draft.pk}  # noqa: E731
hidden_pk = lambda w: {"pk": w.hidden.pk}  # noqa: E731
programme_pk = lambda w: {"pk": w.programme.pk}  # noqa: E731

ROWS = [
    Route("partnerships:agreement_list", members_of_own),
    Route("partnerships:agreement_create", coordinators_anywhere),
    Route("partnerships:agreement_export", members_of_own, kwargs=lambda w: {"fmt": "csv"}),
    Route("partnerships:iia_import", coordinators_anywhere),
    Route("partnerships:agreement_detail", members_of_own, kwargs=draft_pk),
    Route("partnerships:agreement_detail", network_readers, kwargs=hidden_pk, label="hidden"),
    Route("partnerships:agreement_edit", coordinators_anywhere, kwargs=draft_pk),
    Route("partnerships:agreement_edit", network_admin, kwargs=hidden_pk, label="hidden"),
    Route("partnerships:agreement_history", members_of_own, kwargs=draft_pk),
    Route("partnerships:agreement_diff", members_of_own, kwargs=draft_pk),
    Route(
        "partnerships:agreement_approve",
        own_party_coordinators,
        "post",
        kwargs=draft_pk,
        data=lambda w: {"party": w.draft.parties.get(institution=w.own).pk, "version": 1},
    ),
    Route(
        "partnerships:agreement_transition",
        coordinators_anywhere,
        "post",
        kwargs=draft_pk,
        data=lambda w: {"to": "negotiating"},
    ),
    Route("partnerships:agreement_renew", coordinators_anywhere, "post", kwargs=draft_pk),
    Route("partnerships:document_upload", coordinators_anywhere, "post", kwargs=draft_pk),
    Route(
        "partnerships:document_download",
        document_readers,
        ok=(200,),
        kwargs=lambda w: {"pk": w.draft.pk, "document": w.document.pk},
    ),
    Route("partnerships:analysis_save", coordinators_anywhere, "post", kwargs=draft_pk),
    Route("partnerships:recommendation_add", coordinators_anywhere, "post", kwargs=draft_pk),
    Route(
        "partnerships:recommendation_update",
        coordinators_anywhere,
        "post",
        kwargs=lambda w: {"pk": w.draft.pk, "recommendation": w.recommendation.pk},
    ),
    Route("partnerships:work_item_add", coordinators_anywhere, "post", kwargs=draft_pk),
    Route("partnerships:agreement_pdf", members_of_own, kwargs=draft_pk, ok=(200,)),
    Route("partnerships:iia_export", members_of_own, kwargs=draft_pk, ok=(200, 404)),
    Route("partnerships:programme_list", members_of_own),
    Route("partnerships:programme_create", network_admin),
    Route("partnerships:programme_detail", members_of_own, kwargs=programme_pk),
    Route("partnerships:programme_edit", network_admin, kwargs=programme_pk),
    Route("partnerships:phase_add", network_admin, "post", kwargs=programme_pk),
    Route("partnerships:area_add", network_admin, "post", kwargs=programme_pk),
    Route("partnerships:funder_add", network_admin, "post", kwargs=programme_pk),
    Route("partnerships:programme_report", members_of_own, kwargs=programme_pk),
    Route("partnerships:programme_report_pdf", members_of_own, kwargs=programme_pk, ok=(200,)),
    Route("partnerships:network", members_of_own),
]


PS = "/api/v1/partnerships"


def _draft(tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{PS}/agreements/{w.draft.pk}{tail}"


def _hidden(tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{PS}/agreements/{w.hidden.pk}{tail}"


def _programme(tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{PS}/programmes/{w.programme.pk}{tail}"


def _agreement_body(w: World) -> dict[str, Any]:
    return {
        "kind": "memorandum",
        "title": {"en": "New memorandum"},
        "parties": [
            {"institution_id": w.own.pk, "role": "domestic"},
            {"institution_id": w.other.pk, "role": "partner"},
        ],
    }


def _in_force(w: World) -> dict[str, Any]:
    """Carry the draft to active through the services, so that it may be renewed."""
    by = w.users[Role.NETWORK_ADMIN.value]
    ps.agreement_transition(agreement=w.draft, to="negotiating", by=by)
    for party in w.draft.parties.all():
        ps.agreement_approve(agreement=w.draft, party=party, by=by, version_number=1)
    ps.agreement_transition(
        agreement=w.draft, to="signed", by=by, data={"signed_on": timezone.localdate()}
    )
    ps.agreement_transition(agreement=w.draft, to="active", by=by)
    return {"valid_from": "2030-01-01"}


def _analysis_body(w: World) -> dict[str, Any]:
    area = ps.priority_area_add(programme=w.programme, names={"en": "Area"})
    return {"area_id": area.pk, "situation": "As it is"}


def _upload(w: World) -> dict[str, Any]:
    return {"kind": "annex", "title": "Annex", "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 b")}


API_ROWS = [
    ApiRoute("GET", f"{PS}/programmes/", members_of_own, lambda w: f"{PS}/programmes/"),
    ApiRoute(
        "POST",
        f"{PS}/programmes/",
        network_admin,
        lambda w: f"{PS}/programmes/",
        lambda w: {
            "owner_id": w.programme.owner_id,
            "title": {"en": "New programme"},
            "starts_on": "2020-01-01",
        },
    ),
    ApiRoute("GET", f"{PS}/programmes/{{pk}}", members_of_own, _programme()),
    ApiRoute(
        "PATCH",
        f"{PS}/programmes/{{pk}}",
        network_admin,
        _programme(),
        lambda w: {"funding_frame": "World Bank"},
    ),
    ApiRoute(
        "POST",
        f"{PS}/programmes/{{pk}}/phases",
        network_admin,
        _programme("/phases"),
        lambda w: {
            "number": 1,
            "title": {"en": "Phase"},
            "starts_on": "2016-01-01",
            "ends_on": "2016-12-31",
        },
    ),
    ApiRoute(
        "POST",
        f"{PS}/programmes/{{pk}}/areas",
        network_admin,
        _programme("/areas"),
        lambda w: {"name": {"en": "Area"}},
    ),
    ApiRoute(
        "POST",
        f"{PS}/programmes/{{pk}}/funders",
        network_admin,
        _programme("/funders"),
        lambda w: {"source": "World Bank"},
    ),
    ApiRoute("GET", f"{PS}/programmes/{{pk}}/report", members_of_own, _programme("/report")),
    ApiRoute("GET", f"{PS}/agreements/", members_of_own, lambda w: f"{PS}/agreements/"),
    ApiRoute(
        "POST",
        f"{PS}/agreements/",
        coordinators_anywhere,
        lambda w: f"{PS}/agreements/",
        _agreement_body,
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}", members_of_own, _draft()),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}", network_readers, _hidden(), label="hidden"),
    ApiRoute(
        "PUT",
        f"{PS}/agreements/{{pk}}",
        coordinators_anywhere,
        _draft(),
        lambda w: {**_agreement_body(w), "revision": w.draft.revision},
    ),
    ApiRoute(
        "PATCH",
        f"{PS}/agreements/{{pk}}",
        coordinators_anywhere,
        _draft(),
        lambda w: {"revision": w.draft.revision, "summary": "Changed"},
    ),
    ApiRoute(
        "PATCH",
        f"{PS}/agreements/{{pk}}",
        network_admin,
        _hidden(),
        lambda w: {"revision": w.hidden.revision, "summary": "Changed"},
        label="hidden",
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/approve",
        own_party_coordinators,
        _draft("/approve"),
        lambda w: {"party_id": w.draft.parties.get(institution=w.own).pk, "version": 1},
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/transition",
        coordinators_anywhere,
        _draft("/transition"),
        lambda w: {"to": "negotiating"},
    ),
    ApiRoute(
        "POST", f"{PS}/agreements/{{pk}}/renew", coordinators_anywhere, _draft("/renew"), _in_force
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/versions", members_of_own, _draft("/versions")),
    ApiRoute(
        "GET",
        f"{PS}/agreements/{{pk}}/versions",
        network_readers,
        _hidden("/versions"),
        label="hidden",
    ),
    ApiRoute(
        "GET", f"{PS}/agreements/{{pk}}/versions/{{number}}", members_of_own, _draft("/versions/1")
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/diff", members_of_own, _draft("/diff")),
    ApiRoute(
        "GET", f"{PS}/agreements/{{pk}}/recommendations", members_of_own, _draft("/recommendations")
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/recommendations",
        coordinators_anywhere,
        _draft("/recommendations"),
        lambda w: {"text": "Do more"},
    ),
    ApiRoute(
        "PATCH",
        f"{PS}/agreements/{{pk}}/recommendations/{{recommendation_id}}",
        coordinators_anywhere,
        lambda w: f"{PS}/agreements/{w.draft.pk}/recommendations/{w.recommendation.pk}",
        lambda w: {"status": "in_progress"},
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/work-items", members_of_own, _draft("/work-items")),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/work-items",
        coordinators_anywhere,
        _draft("/work-items"),
        lambda w: {"kind": "goal", "title": "Goal", "period": "2016"},
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/analyses", members_of_own, _draft("/analyses")),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/analyses",
        coordinators_anywhere,
        _draft("/analyses"),
        _analysis_body,
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/documents", document_readers, _draft("/documents")),
    ApiRoute(
        "GET",
        f"{PS}/agreements/{{pk}}/documents",
        network_readers,
        _hidden("/documents"),
        label="hidden",
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/documents",
        coordinators_anywhere,
        _draft("/documents"),
        form=_upload,
    ),
    ApiRoute(
        "GET",
        f"{PS}/agreements/{{pk}}/documents/{{document_id}}/file",
        document_readers,
        lambda w: f"{PS}/agreements/{w.draft.pk}/documents/{w.document.pk}/file",
    ),
    ApiRoute("GET", f"{PS}/network", members_of_own, lambda w: f"{PS}/network"),
]
