"""Every role against every view and API endpoint: what each may see and do.

The tables below name each route once, with who is allowed. A route that is added to the URL
configuration or the API without a row here fails ``test_every_route_is_in_the_matrix``: there
is no way to add a page without saying who may use it.

Personas: anonymous, a signed-in person with no role, and one person per role. Network roles
are held at a ministry; every other role is held at the institution ``own``. ``other`` is an
institution where nobody but the network roles has any business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consilium.api import api
from consilium.core.roles import NETWORK_ROLES, Role
from consilium.core.testing import InstitutionFactory, UserFactory
from consilium.institutions import services
from consilium.institutions.models import Institution, InstitutionKind, Invitation, Membership

PERSONAS = ["anonymous", "no_role", *[role.value for role in Role]]


@dataclass
class World:
    own: Institution
    other: Institution
    users: dict[str, Any]
    target_membership: dict[str, Membership]
    target_invitation: dict[str, Invitation]
    draft: Any = None  # a public draft agreement between own and partner
    hidden: Any = None  # a non-public agreement between other and partner
    document: Any = None  # a document of the draft
    recommendation: Any = None
    programme: Any = None


def build_world() -> World:
    ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY, name_en="Ministry")
    own = InstitutionFactory(name_en="Own University")
    other = InstitutionFactory(name_en="Other University")
    users: dict[str, Any] = {"anonymous": None, "no_role": UserFactory()}
    for role in Role:
        user = UserFactory()
        where = ministry if role in NETWORK_ROLES else own
        Membership.objects.create(user=user, institution=where, role=role)
        users[role.value] = user
    # Someone to act on at each institution, and an open invitation at each.
    target_membership, target_invitation = {}, {}
    inviter = users[Role.NETWORK_ADMIN.value]
    for key, institution in (("own", own), ("other", other)):
        Membership.objects.create(
            user=UserFactory(), institution=institution, role=Role.INSTITUTION_ADMIN
        )
        target_membership[key] = Membership.objects.create(
            user=UserFactory(), institution=institution, role=Role.TEACHER
        )
        target_invitation[key] = services.invitation_create(
            institution=institution,
            email=f"invitee-{key}@example.org",
            role=Role.LEARNER,
            invited_by=inviter,
        ).invitation
    world = World(own, other, users, target_membership, target_invitation)
    _partnerships(world, ministry)
    return world


def _partnerships(world: World, ministry: Institution) -> None:
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from consilium.partnerships import services as ps

    partner = InstitutionFactory(name_en="Partner University", country="US")
    coordinator = world.users[Role.NETWORK_ADMIN.value]
    world.programme = ps.programme_create(
        owner=ministry, titles={"en": "Programme"}, starts_on=date(2016, 1, 1), by=coordinator
    )
    world.draft = ps.agreement_create(
        kind="strategic",
        titles={"en": "Own draft"},
        by=coordinator,
        programme=world.programme,
        parties=[
            ps.PartyData(institution=world.own, role="domestic"),
            ps.PartyData(institution=partner, role="foreign"),
        ],
    )
    world.hidden = ps.agreement_create(
        kind="memorandum",
        titles={"en": "Hidden"},
        by=coordinator,
        is_public=False,
        parties=[
            ps.PartyData(institution=world.other, role="clinical_base"),
            ps.PartyData(institution=partner, role="college"),
        ],
    )
    world.document = ps.document_upload(
        agreement=world.draft,
        kind="annex",
        title="Annex",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
        by=coordinator,
    )
    world.recommendation = ps.recommendation_add(agreement=world.draft, text="Do it")


# --- who is allowed ----------------------------------------------------------------------

Allowed = Callable[[str], bool]


def everyone(persona: str) -> bool:
    return True


def signed_in(persona: str) -> bool:
    return persona != "anonymous"


def network_admin(persona: str) -> bool:
    return persona == Role.NETWORK_ADMIN


def managers_of_own(persona: str) -> bool:
    return persona in (Role.NETWORK_ADMIN, Role.INSTITUTION_ADMIN)


def members_of_own(persona: str) -> bool:
    return persona in Role.values  # every role is held at own or network-wide


def network_readers(persona: str) -> bool:
    return persona in NETWORK_ROLES


def importers(persona: str) -> bool:
    return persona in (Role.NETWORK_ADMIN, Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR)


coordinators_anywhere = importers  # the same three roles speak for an institution


def own_party_coordinators(persona: str) -> bool:
    """Who approves for own: its coordinators and administrators, not the network admin."""
    return persona in (Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR)


@dataclass
class Route:
    name: str
    allowed: Allowed
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    label: str = ""
    # Statuses that count as "allowed" (a redirect after a successful POST, a 410 for a
    # dead invitation link...). Denied is always 403, or a redirect to sign in.
    ok: tuple[int, ...] = (200, 302)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name}{'@' + self.label if self.label else ''}:{self.method}"


own_pk = lambda w: {"pk": w.own.pk}  # noqa: E731
draft_pk = lambda w: {"pk": w.draft.pk}  # noqa: E731
hidden_pk = lambda w: {"pk": w.hidden.pk}  # noqa: E731
programme_pk = lambda w: {"pk": w.programme.pk}  # noqa: E731
other_pk = lambda w: {"pk": w.other.pk}  # noqa: E731

VIEW_ROUTES = [
    Route("core:home", everyone),
    Route("core:health", everyone),
    Route("core:floor", everyone),
    Route("core:set_language", everyone, "post", data=lambda w: {"language": "ru"}),
    Route("accounts:login", everyone),
    Route("accounts:logout", everyone, "post"),
    Route("accounts:password_reset", everyone),
    Route("accounts:password_reset_done", everyone),
    Route(
        "accounts:password_reset_confirm",
        everyone,
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    Route("accounts:password_reset_complete", everyone),
    Route("accounts:profile", signed_in),
    Route("accounts:tokens", signed_in),
    Route("accounts:token_revoke", signed_in, "post", kwargs=lambda w: {"pk": 999999}, ok=(404,)),
    Route("institutions:list", everyone),
    Route("institutions:create", network_admin),
    Route("institutions:import", importers),
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
    # --- partnerships ---
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
        members_of_own,
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
    Route("notifications:list", signed_in),
    Route("notifications:mark_all_read", signed_in, "post"),
]


@dataclass
class ApiRoute:
    method: str
    path: str
    allowed: Allowed
    url: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    label: str = ""
    form: Callable[[World], dict[str, Any]] | None = None  # a multipart POST instead of JSON

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}{'@' + self.label if self.label else ''}"


def _institution_body(w: World) -> dict[str, Any]:
    return {"kind": "college", "country": "KZ", "name": {"en": "Brand New College"}}


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
    from django.utils import timezone

    from consilium.partnerships import services as ps

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
    from consilium.partnerships import services as ps

    area = ps.priority_area_add(programme=w.programme, names={"en": "Area"})
    return {"area_id": area.pk, "situation": "As it is"}


def _upload(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"kind": "annex", "title": "Annex", "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 b")}


API_ROUTES = [
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
    ApiRoute("GET", "/api/v1/me/", signed_in, lambda w: "/api/v1/me/"),
    # --- partnerships ---
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
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/documents", members_of_own, _draft("/documents")),
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
        members_of_own,
        lambda w: f"{PS}/agreements/{w.draft.pk}/documents/{w.document.pk}/file",
    ),
    ApiRoute("GET", f"{PS}/network", members_of_own, lambda w: f"{PS}/network"),
    ApiRoute("GET", "/api/v1/openapi.json", everyone, lambda w: "/api/v1/openapi.json"),
    ApiRoute("GET", "/api/v1/docs", everyone, lambda w: "/api/v1/docs"),
]

# Routes that are not ours to police: Django's admin (staff only, its own checks) and static.
EXCLUDED_PREFIXES = ("admin:",)


def _named_routes(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _named_routes(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    ours = {
        name
        for name in _named_routes(get_resolver().url_patterns)
        if not name.startswith(EXCLUDED_PREFIXES) and not name.startswith("api:")
    }
    covered = {route.name for route in VIEW_ROUTES}
    assert ours - covered == set(), "add these routes to VIEW_ROUTES"
    assert covered - ours == set(), "these routes no longer exist"


def test_every_view_declares_its_access_rule() -> None:
    def walk(patterns: list[Any]) -> list[URLPattern]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                found += walk(pattern.url_patterns)
            else:
                found.append(pattern)
        return found

    undeclared = [
        p.name for p in walk(get_resolver().url_patterns) if not hasattr(p.callback, "access_rule")
    ]
    assert undeclared == []


def test_every_api_operation_is_in_the_matrix() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), "/api/v1" + path.removeprefix("/api/v1").replace("{pk}", "{pk}"))
        for path, ops in schema["paths"].items()
        for method in ops
    }
    covered = {
        (r.method, r.path)
        for r in API_ROUTES
        if r.path.startswith(("/api/v1/institutions", "/api/v1/me", "/api/v1/partnerships"))
    }
    assert operations == covered


def _client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", VIEW_ROUTES, ids=lambda r: r.id)
def test_view_access(route: Route, persona: str) -> None:
    world = build_world()
    client = _client_for(world, persona)
    url = reverse(route.name, kwargs=route.kwargs(world))
    response = getattr(client, route.method)(url, route.data(world))
    allowed = route.allowed(persona)
    is_login_redirect = response.status_code == 302 and "/accounts/sign-in/" in response.get(
        "Location", ""
    )
    if allowed:
        assert response.status_code in route.ok, (persona, response.status_code)
        assert not (is_login_redirect and route.name != "accounts:logout"), persona
    elif persona == "anonymous":
        assert is_login_redirect, response.status_code
    else:
        assert response.status_code == 403, (persona, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.id)
def test_api_access(route: ApiRoute, persona: str) -> None:
    from consilium.accounts.services import api_token_create

    world = build_world()
    headers = {}
    user = world.users[persona]
    if user is not None:
        _token, raw = api_token_create(user=user, name="matrix")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client = Client()
    if route.form is not None:
        response = client.post(route.url(world), route.form(world), **headers)
    else:
        body = route.body(world) if route.body else None
        response = client.generic(
            route.method,
            route.url(world),
            data=__import__("json").dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )
    if route.allowed(persona):
        assert response.status_code in (200, 201), (persona, response.content[:300])
    elif persona == "anonymous":
        assert response.status_code in (401, 403), response.status_code
    else:
        assert response.status_code == 403, (persona, response.status_code)
