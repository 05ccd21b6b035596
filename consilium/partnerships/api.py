"""The partnerships API: programmes, agreements and their whole lifecycle, as JSON.

Every endpoint names the permission it requires (``access.require``); reads go through the
selectors, which start from what the person may see, and every write goes through
``consilium.partnerships.services``. An agreement that does not exist answers 404; one that
exists but is hidden from this person answers 403, as the pages do.

Editing a draft is optimistic: send the ``revision`` you read. If someone saved in between, the
answer is 409 with the current revision and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from consilium.accounts.models import User
from consilium.core import access
from consilium.core.api import Conflict, Page, Paging, Texts, page, texts
from consilium.institutions.models import Institution
from consilium.partnerships import lifecycle, selectors, services
from consilium.partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    Approval,
    Document,
    Phase,
    PriorityArea,
    Programme,
    Recommendation,
    WorkItem,
)
from consilium.partnerships.policy import Perm

router = Router(tags=["partnerships"])
MAX_ID = 2**63 - 1  # ids beyond a 64-bit integer cannot exist; refuse them before the database


# --- shared schemas ----------------------------------------------------------------------


class InstitutionRef(Schema):
    id: int
    name: str
    short_name: str
    country: str
    kind: str


def _institution_ref(institution: Institution) -> dict[str, Any]:
    return {
        "id": institution.pk,
        "name": institution.name,
        "short_name": institution.display_short,
        "country": institution.country,
        "kind": institution.kind,
    }


def _user(request: HttpRequest) -> User:
    """The signed-in person; call only after ``access.require`` let them through."""
    return cast(User, request.user)


def _row(model: type[Model], pk: int | None, field: str, **scope: Any) -> Any:
    """The row with this id (within ``scope``), or a 400 on ``field`` if there is none."""
    if pk is None:
        return None
    row = model._default_manager.filter(pk=pk, **scope).first() if 0 < pk <= MAX_ID else None
    if row is None:
        raise ValidationError({field: [_("This value is not valid.")]})
    return row


# --- programmes --------------------------------------------------------------------------


class PhaseOut(Schema):
    id: int
    number: int
    title: Texts
    description: Texts
    starts_on: date
    ends_on: date


class AreaOut(Schema):
    id: int
    name: Texts


class FunderOut(Schema):
    id: int
    source: str
    amount: Decimal | None
    currency: str


class ProgrammeOut(Schema):
    id: int
    title: Texts
    description: Texts
    owner: InstitutionRef
    starts_on: date
    ends_on: date | None
    funding_frame: str


class ProgrammeListItem(ProgrammeOut):
    agreement_count: int


class ProgrammeDetail(ProgrammeOut):
    phases: list[PhaseOut]
    priority_areas: list[AreaOut]
    funders: list[FunderOut]


class ProgrammeIn(Schema):
    owner_id: int
    title: Texts
    description: Texts = Texts()
    starts_on: date
    ends_on: date | None = None
    funding_frame: str = ""


class ProgrammePatch(Schema):
    owner_id: int | None = None
    title: Texts | None = None
    description: Texts | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    funding_frame: str | None = None


class PhaseIn(Schema):
    number: int = Field(..., ge=1, le=32767)
    title: Texts
    description: Texts = Texts()
    starts_on: date
    ends_on: date


class AreaIn(Schema):
    name: Texts


class FunderIn(Schema):
    source: str
    amount: Decimal | None = None
    currency: str = ""


def _phase(phase: Phase) -> dict[str, Any]:
    return {
        "id": phase.pk,
        "number": phase.number,
        "title": texts(phase, "title"),
        "description": texts(phase, "description"),
        "starts_on": phase.starts_on,
        "ends_on": phase.ends_on,
    }


def _programme(programme: Programme, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": programme.pk,
        "title": texts(programme, "title"),
        "description": texts(programme, "description"),
        "owner": _institution_ref(programme.owner),
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "funding_frame": programme.funding_frame,
    }
    if hasattr(programme, "agreement_count"):
        data["agreement_count"] = programme.agreement_count
    if detail:
        data["phases"] = [_phase(p) for p in programme.phases.all()]
        data["priority_areas"] = [
            {"id": a.pk, "name": texts(a, "name")} for a in programme.priority_areas.all()
        ]
        data["funders"] = [
            {"id": f.pk, "source": f.source, "amount": f.amount, "currency": f.currency}
            for f in programme.funders.all()
        ]
    return data


def _load_programme(pk: int) -> Programme:
    try:
        return selectors.programme_detail(pk)
    except Programme.DoesNotExist:
        raise Http404 from None


def _programme_owner(request: HttpRequest, owner_id: int) -> Institution:
    """The ministry a programme is run by; only its own administrators may choose it."""
    owner: Institution = _row(Institution, owner_id, "owner_id")
    if not access.can(request.user, Perm.PROGRAMME_MANAGE, Programme(owner=owner)):
        raise ValidationError(
            {"owner_id": [_("You may set up programmes only for your own ministry.")]}
        )
    return owner


@router.get("/programmes/", response=Page[ProgrammeListItem], summary="List programmes")
def list_programmes(request: HttpRequest, params: Query[Paging]) -> dict[str, Any]:
    access.require(request.user, Perm.PROGRAMME_VIEW)
    qs = selectors.programme_list(request.user)
    return page(qs, params, lambda rows: [_programme(p) for p in rows])


@router.post("/programmes/", response={201: ProgrammeDetail}, summary="Set up a programme")
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status:
    access.require(request.user, Perm.PROGRAMME_MANAGE)
    programme = services.programme_create(
        owner=_programme_owner(request, payload.owner_id),
        titles=payload.title.model_dump(),
        descriptions=payload.description.model_dump(),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        funding_frame=payload.funding_frame,
        by=_user(request),
    )
    return Status(201, _programme(_load_programme(programme.pk), detail=True))


@router.get("/programmes/{int:pk}", response=ProgrammeDetail, summary="One programme")
def get_programme(request: HttpRequest, pk: int) -> dict[str, Any]:
    programme = _load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_VIEW, programme)
    return _programme(programme, detail=True)


@router.patch("/programmes/{int:pk}", response=ProgrammeDetail, summary="Change a programme")
def update_programme(request: HttpRequest, pk: int, payload: ProgrammePatch) -> dict[str, Any]:
    programme = _load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_MANAGE, programme)
    given = payload.model_fields_set
    data: dict[str, Any] = {}
    for key in ("starts_on", "ends_on", "funding_frame"):
        if key in given:
            data[key] = getattr(payload, key)
    if "starts_on" in data and data["starts_on"] is None:
        raise ValidationError({"starts_on": [_("This field is required.")]})
    if data.get("funding_frame") is None:
        data.pop("funding_frame", None)
    if payload.owner_id is not None and payload.owner_id != programme.owner_id:
        data["owner"] = _programme_owner(request, payload.owner_id)
    if payload.title is not None:
        data["titles"] = payload.title.model_dump(exclude_unset=True)
    if payload.description is not None:
        data["descriptions"] = payload.description.model_dump(exclude_unset=True)
    services.programme_update(programme=programme, data=data, by=_user(request))
    return _programme(_load_programme(pk), detail=True)


@router.post("/programmes/{int:pk}/phases", response={201: PhaseOut}, summary="Add a phase")
def add_phase(request: HttpRequest, pk: int, payload: PhaseIn) -> Status:
    programme = _load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_MANAGE, programme)
    phase = services.phase_add(
        programme=programme,
        number=payload.number,
        titles=payload.title.model_dump(),
        descriptions=payload.description.model_dump(),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, _phase(phase))


@router.post("/programmes/{int:pk}/areas", response={201: AreaOut}, summary="Add a priority area")
def add_area(request: HttpRequest, pk: int, payload: AreaIn) -> Status:
    programme = _load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_MANAGE, programme)
    area = services.priority_area_add(programme=programme, names=payload.name.model_dump())
    return Status(201, {"id": area.pk, "name": texts(area, "name")})


@router.post("/programmes/{int:pk}/funders", response={201: FunderOut}, summary="Add a funder")
def add_funder(request: HttpRequest, pk: int, payload: FunderIn) -> Status:
    programme = _load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_MANAGE, programme)
    funder = services.funder_add(
        programme=programme, source=payload.source, amount=payload.amount, currency=payload.currency
    )
    return Status(
        201,
        {
            "id": funder.pk,
            "source": funder.source,
            "amount": funder.amount,
            "currency": funder.currency,
        },
    )


# --- agreements: schemas -----------------------------------------------------------------


class PartyBrief(Schema):
    id: int
    institution: InstitutionRef
    role: str


class PartyOut(PartyBrief):
    signatory: str
    signatory_title: str
    contact_name: str
    contact_email: str


class FundingOut(Schema):
    source: str
    amount: Decimal
    currency: str
    period_start: date | None
    period_end: date | None


class VersionRef(Schema):
    number: int
    content_hash: str
    created_at: datetime


class ApprovalOut(Schema):
    party_id: int
    institution_id: int
    version: int
    content_hash: str
    approved_at: datetime


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    by: str
    note: str


class Permissions(Schema):
    edit: bool = Field(..., description="May edit the draft, move it on and add to it.")
    documents: bool = Field(..., description="May list and download its documents.")
    approve_for: list[int] = Field(..., description="Parties (ids) this person approves for.")


class AgreementSummary(Schema):
    id: int
    kind: str
    title: Texts
    number: str
    status: str
    programme_id: int | None
    phase_id: int | None
    is_public: bool
    signed_on: date | None
    valid_from: date | None
    valid_until: date | None
    parties: list[PartyBrief]
    forms: list[str]


class AgreementOut(AgreementSummary):
    summary: str
    revision: int = Field(..., description="Send it back when you edit the draft.")
    renewal_of_id: int | None
    parties: list[PartyOut]  # type: ignore[assignment]
    funding: list[FundingOut]
    version: VersionRef | None
    approvals: list[ApprovalOut] = Field(..., description="Approvals of the current version.")
    missing_approvals: list[int] = Field(..., description="Parties (ids) still to approve.")
    next_statuses: list[str] = Field(
        ..., description="Statuses the lifecycle allows next (POST …/transition)."
    )
    can_renew: bool = Field(..., description="The lifecycle allows a renewal (POST …/renew).")
    transitions: list[TransitionOut]
    permissions: Permissions
    created_at: datetime
    updated_at: datetime


class PartyIn(Schema):
    institution_id: int
    role: str
    signatory: str = ""
    signatory_title: str = ""
    contact_name: str = ""
    contact_email: str = ""


class FundingIn(Schema):
    source: str
    amount: Decimal
    currency: str
    period_start: date | None = None
    period_end: date | None = None


class AgreementIn(Schema):
    kind: str
    title: Texts
    parties: list[PartyIn] = Field(..., description="Two or more, each institution once.")
    number: str = ""
    programme_id: int | None = None
    phase_id: int | None = None
    summary: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    is_public: bool = True
    forms: list[str] = []
    funding: list[FundingIn] = []


class AgreementPut(AgreementIn):
    revision: int = Field(..., description="The revision you read; a stale one answers 409.")


class AgreementPatch(Schema):
    revision: int = Field(..., description="The revision you read; a stale one answers 409.")
    kind: str | None = None
    title: Texts | None = None
    parties: list[PartyIn] | None = Field(None, description="Replaces all the parties.")
    number: str | None = None
    programme_id: int | None = None
    phase_id: int | None = None
    summary: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    is_public: bool | None = None
    forms: list[str] | None = None
    funding: list[FundingIn] | None = Field(None, description="Replaces all the funding lines.")


class AgreementQuery(Schema):
    """The filters of the agreements page, read by the same ``AgreementFilter``."""

    q: str = ""
    programme: int | None = Field(None, ge=1, le=MAX_ID)
    phase: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str = ""
    status: str = ""
    country: str = ""
    form: str = ""
    partner: int | None = Field(None, ge=1, le=MAX_ID)
    ending_soon: bool = False


class AgreementListQuery(AgreementQuery, Paging):
    pass


class ApproveIn(Schema):
    party_id: int
    version: int = Field(..., description="The number of the version you read.")


class TransitionIn(Schema):
    to: str
    signed_on: date | None = Field(None, description="Required to become signed.")
    note: str = Field("", description="Required to terminate.")


class RenewIn(Schema):
    valid_from: date
    valid_until: date | None = None


class VersionOut(VersionRef):
    approved_by: list[int] = Field(..., description="Parties (ids) that approved this version.")


class VersionContent(VersionOut):
    content: dict[str, Any]


class Change(Schema):
    field: str
    old: Any
    new: Any


class DiffOut(Schema):
    a: int
    b: int
    changes: list[Change]


class RecommendationOut(Schema):
    id: int
    text: str
    area_id: int | None
    status: str
    due_on: date | None
    done_on: date | None
    evidence: str
    created_at: datetime
    updated_at: datetime


class RecommendationIn(Schema):
    text: str
    area_id: int | None = None
    due_on: date | None = None


class RecommendationPatch(Schema):
    status: str | None = None
    evidence: str | None = None
    due_on: date | None = None


class WorkItemOut(Schema):
    id: int
    kind: str
    title: str
    period: str
    phase_id: int | None
    planned: str
    done: str
    is_done: bool
    evidence: str


class WorkItemIn(Schema):
    kind: str
    title: str
    period: str
    phase_id: int | None = Field(None, description="The agreement's phase when left out.")
    planned: str = ""
    done: str = ""
    is_done: bool = False
    evidence: str = ""


class AnalysisOut(Schema):
    id: int
    area_id: int
    situation: str
    updated_at: datetime


class AnalysisIn(Schema):
    area_id: int
    situation: str


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    version: int
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ReportPeriod(Schema):
    period: str
    goals: list[WorkItemOut]
    activities: list[WorkItemOut]
    results: list[WorkItemOut]


class ReportRow(Schema):
    agreement: AgreementSummary
    periods: list[ReportPeriod]
    recommendations: list[RecommendationOut]
    open_recommendations: int


class NetworkOut(Schema):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


# --- agreements: reading -----------------------------------------------------------------


def _fetch(user: Any, pk: int) -> Agreement:
    """The agreement with its parties, whether or not this person may see it (or 404)."""
    try:
        return selectors.agreement_detail(user, pk)
    except Agreement.DoesNotExist:
        # As on the pages (views._agreement): one that exists but is hidden from this person
        # answers 403 once the permission is checked; only a missing one answers 404.
        agreement = (
            Agreement.objects.filter(pk=pk)
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=AgreementParty.objects.select_related("institution").order_by(
                        "order", "id"
                    ),
                ),
                "forms",
            )
            .first()
        )
        if agreement is None:
            raise Http404 from None
        return agreement


def _agreement(request: HttpRequest, pk: int, perm: Perm = Perm.AGREEMENT_VIEW) -> Agreement:
    agreement = _fetch(request.user, pk)
    access.require(request.user, perm, agreement)
    return agreement


def _summary(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "kind": agreement.kind,
        "title": texts(agreement, "title"),
        "number": agreement.number,
        "status": agreement.status,
        "programme_id": agreement.programme_id,
        "phase_id": agreement.phase_id,
        "is_public": agreement.is_public,
        "signed_on": agreement.signed_on,
        "valid_from": agreement.valid_from,
        "valid_until": agreement.valid_until,
        "parties": [
            {"id": p.pk, "institution": _institution_ref(p.institution), "role": p.role}
            for p in agreement.parties.all()
        ],
        "forms": sorted(f.form for f in agreement.forms.all()),
    }


def _detail(user: Any, agreement: Agreement) -> dict[str, Any]:
    version = services.current_version(agreement)
    parties = list(agreement.parties.all())
    institution_of = {p.pk: p.institution_id for p in parties}
    approvals: list[Approval] = (
        list(version.approvals.filter(content_hash=version.content_hash).order_by("id"))
        if version
        else []
    )
    allowed = lifecycle.allowed(agreement.status)
    data = _summary(agreement)
    data.update(
        {
            "summary": agreement.summary,
            "revision": agreement.revision,
            "renewal_of_id": agreement.renewal_of_id,
            "parties": [
                {
                    "id": p.pk,
                    "institution": _institution_ref(p.institution),
                    "role": p.role,
                    "signatory": p.signatory,
                    "signatory_title": p.signatory_title,
                    "contact_name": p.contact_name,
                    "contact_email": p.contact_email,
                }
                for p in parties
            ],
            "funding": [
                {
                    "source": f.source,
                    "amount": f.amount,
                    "currency": f.currency,
                    "period_start": f.period_start,
                    "period_end": f.period_end,
                }
                for f in agreement.funding_lines.order_by("id")
            ],
            "version": (
                {
                    "number": version.number,
                    "content_hash": version.content_hash,
                    "created_at": version.created_at,
                }
                if version
                else None
            ),
            "approvals": [
                {
                    "party_id": a.party_id,
                    "institution_id": institution_of.get(a.party_id),
                    "version": version.number,  # type: ignore[union-attr]
                    "content_hash": a.content_hash,
                    "approved_at": a.approved_at,
                }
                for a in approvals
            ],
            "missing_approvals": [p.pk for p in services.missing_approvals(agreement)],
            "next_statuses": [s for s in allowed if s != AgreementStatus.RENEWED],
            "can_renew": AgreementStatus.RENEWED in allowed,
            "transitions": [
                {
                    "from_status": t.from_status,
                    "to_status": t.to_status,
                    "at": t.at,
                    "by": t.by.full_name if t.by else "",
                    "note": t.note,
                }
                for t in agreement.transitions.select_related("by")
            ],
            "permissions": {
                "edit": access.can(user, Perm.AGREEMENT_EDIT, agreement),
                "documents": access.can(user, Perm.AGREEMENT_DOCUMENTS, agreement),
                "approve_for": [
                    p.pk for p in parties if access.can(user, Perm.AGREEMENT_APPROVE, p)
                ],
            },
            "created_at": agreement.created_at,
            "updated_at": agreement.updated_at,
        }
    )
    return data


def _filter(params: AgreementQuery) -> selectors.AgreementFilter:
    return selectors.AgreementFilter.from_params(params.model_dump())


@router.get(
    "/agreements/",
    response=Page[AgreementSummary],
    summary="List and filter agreements",
    description=(
        "The filters of the agreements page: `q` (title or number), `programme`, `phase`, "
        "`kind`, `status`, `country` (of any party), `form` (of cooperation), `partner` "
        "(institution id) and `ending_soon`. As on the page, a value that is not one of the "
        "choices is ignored."
    ),
)
def list_agreements(request: HttpRequest, params: Query[AgreementListQuery]) -> dict[str, Any]:
    access.require(request.user, Perm.AGREEMENT_LIST)
    qs = selectors.agreement_list(request.user, _filter(params))
    return page(qs, params, lambda rows: [_summary(a) for a in rows])


@router.get("/agreements/{int:pk}", response=AgreementOut, summary="One agreement")
def get_agreement(request: HttpRequest, pk: int) -> dict[str, Any]:
    agreement = _agreement(request, pk)
    return _detail(request.user, agreement)


@router.get(
    "/agreements/{int:pk}/versions",
    response=list[VersionOut],
    summary="The frozen versions of the draft, newest first",
)
def list_versions(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = _agreement(request, pk)
    return [_version(v) for v in _versions(agreement)]


@router.get(
    "/agreements/{int:pk}/versions/{int:number}",
    response=VersionContent,
    summary="One version with its content",
)
def get_version(request: HttpRequest, pk: int, number: int) -> dict[str, Any]:
    agreement = _agreement(request, pk)
    version = agreement.versions.filter(number=number).prefetch_related("approvals").first()
    if version is None:
        raise Http404
    return {**_version(version), "content": version.content}


def _versions(agreement: Agreement) -> list[AgreementVersion]:
    return list(agreement.versions.order_by("-number").prefetch_related("approvals"))


def _version(version: AgreementVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "content_hash": version.content_hash,
        "created_at": version.created_at,
        "approved_by": sorted(
            a.party_id for a in version.approvals.all() if a.content_hash == version.content_hash
        ),
    }


@router.get(
    "/agreements/{int:pk}/diff",
    response=DiffOut,
    summary="What changed between two versions",
    description="`a` and `b` are version numbers; by default the last two.",
)
def diff_versions(
    request: HttpRequest, pk: int, a: int | None = None, b: int | None = None
) -> dict[str, Any]:
    agreement = _agreement(request, pk)
    versions = {v.number: v for v in agreement.versions.all()}
    if not versions:
        raise Http404
    newest = max(versions)
    a = max(newest - 1, 1) if a is None else a
    b = newest if b is None else b
    if a not in versions or b not in versions:
        raise Http404
    return {
        "a": a,
        "b": b,
        "changes": services.version_diff(versions[a].content, versions[b].content),
    }


@router.get(
    "/network",
    response=NetworkOut,
    summary="Institutions and the agreements between them",
    description="The same filters as the list of agreements.",
)
def network(request: HttpRequest, params: Query[AgreementQuery]) -> dict[str, Any]:
    access.require(request.user, Perm.AGREEMENT_LIST)
    return selectors.network_graph(request.user, _filter(params))


# --- agreements: writing -----------------------------------------------------------------


def _party_data(parties: list[PartyIn]) -> list[services.PartyData]:
    ids = {p.institution_id for p in parties if 0 < p.institution_id <= MAX_ID}
    found = Institution.objects.in_bulk(list(ids))
    errors = {
        f"parties.{index}.institution_id": [_("No institution has this id.")]
        for index, party in enumerate(parties)
        if party.institution_id not in found
    }
    if errors:
        raise ValidationError(errors)
    return [
        services.PartyData(
            institution=found[p.institution_id],
            role=p.role,
            signatory=p.signatory,
            signatory_title=p.signatory_title,
            contact_name=p.contact_name,
            contact_email=p.contact_email,
        )
        for p in parties
    ]


def _funding_data(lines: list[FundingIn]) -> list[services.FundingData]:
    return [
        services.FundingData(
            source=f.source,
            amount=f.amount,
            currency=f.currency,
            period_start=f.period_start,
            period_end=f.period_end,
        )
        for f in lines
    ]


def _full(payload: AgreementIn) -> dict[str, Any]:
    """The keyword arguments of agreement_create/_edit from a complete body."""
    return {
        "kind": payload.kind,
        "titles": payload.title.model_dump(),
        "parties": _party_data(payload.parties),
        "forms": payload.forms,
        "number": payload.number,
        "programme": _row(Programme, payload.programme_id, "programme_id"),
        "phase": _row(Phase, payload.phase_id, "phase_id"),
        "summary": payload.summary,
        "valid_from": payload.valid_from,
        "valid_until": payload.valid_until,
        "funding": _funding_data(payload.funding),
        "is_public": payload.is_public,
    }


def _merged(payload: AgreementPatch, current: Agreement) -> dict[str, Any]:
    """The same from a partial body: what is left out keeps its current value.

    Null clears the programme, the phase and the dates; elsewhere it counts as left out.
    """
    sent = payload.model_fields_set
    titles = texts(current, "title")
    if payload.title is not None:
        titles.update(payload.title.model_dump(exclude_unset=True))
    if payload.parties is not None:
        parties = _party_data(payload.parties)
    else:
        parties = [
            services.PartyData(
                institution=p.institution,
                role=p.role,
                signatory=p.signatory,
                signatory_title=p.signatory_title,
                contact_name=p.contact_name,
                contact_email=p.contact_email,
            )
            for p in current.parties.all()
        ]
    if payload.funding is not None:
        funding = _funding_data(payload.funding)
    else:
        funding = [
            services.FundingData(
                source=f.source,
                amount=f.amount,
                currency=f.currency,
                period_start=f.period_start,
                period_end=f.period_end,
            )
            for f in current.funding_lines.order_by("id")
        ]
    return {
        "kind": current.kind if payload.kind is None else payload.kind,
        "titles": titles,
        "parties": parties,
        "forms": (
            [f.form for f in current.forms.all()] if payload.forms is None else payload.forms
        ),
        "number": current.number if payload.number is None else payload.number,
        "programme": (
            _row(Programme, payload.programme_id, "programme_id")
            if "programme_id" in sent
            else current.programme
        ),
        "phase": _row(Phase, payload.phase_id, "phase_id") if "phase_id" in sent else current.phase,
        "summary": current.summary if payload.summary is None else payload.summary,
        "valid_from": payload.valid_from if "valid_from" in sent else current.valid_from,
        "valid_until": payload.valid_until if "valid_until" in sent else current.valid_until,
        "funding": funding,
        "is_public": current.is_public if payload.is_public is None else payload.is_public,
    }


def _conflict(pk: int) -> Status:
    current = Agreement.objects.filter(pk=pk).values_list("revision", flat=True).first() or 0
    return Status(
        409,
        {
            "detail": _(
                "Someone else saved this draft since you read it; nothing was saved. Read "
                "revision %(revision)s and send your changes again."
            )
            % {"revision": current},
            "revision": current,
        },
    )


@router.post("/agreements/", response={201: AgreementOut}, summary="Propose an agreement")
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status:
    access.require(request.user, Perm.AGREEMENT_CREATE)
    fields = _full(payload)
    services.check_proposer(request.user, fields["parties"])
    agreement = services.agreement_create(by=_user(request), **fields)
    return Status(201, _detail(request.user, _fetch(request.user, agreement.pk)))


def _edit(request: HttpRequest, pk: int, payload: AgreementPut | AgreementPatch) -> Status:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    if payload.revision != agreement.revision:
        return _conflict(pk)
    content = _merged(payload, agreement) if isinstance(payload, AgreementPatch) else _full(payload)
    try:
        services.agreement_edit(
            agreement=agreement,
            expected_revision=payload.revision,
            by=_user(request),
            **content,
        )
    except services.ConflictError:
        return _conflict(pk)
    return Status(200, _detail(request.user, _fetch(request.user, pk)))


EDIT_DESCRIPTION = (
    "Saves a new version of a draft (proposed or negotiating); earlier approvals no longer "
    "count. Send the `revision` you read: if someone saved in between, the answer is 409 with "
    "the current revision and nothing is written."
)


@router.put(
    "/agreements/{int:pk}",
    response={200: AgreementOut, 409: Conflict},
    summary="Replace the draft",
    description=EDIT_DESCRIPTION,
)
def replace_agreement(request: HttpRequest, pk: int, payload: AgreementPut) -> Status:
    return _edit(request, pk, payload)


@router.patch(
    "/agreements/{int:pk}",
    response={200: AgreementOut, 409: Conflict},
    summary="Change part of the draft",
    description=EDIT_DESCRIPTION + " Fields left out keep their value.",
)
def update_agreement(request: HttpRequest, pk: int, payload: AgreementPatch) -> Status:
    return _edit(request, pk, payload)


@router.post(
    "/agreements/{int:pk}/approve",
    response=ApprovalOut,
    summary="Approve the current version for a party",
)
def approve_agreement(request: HttpRequest, pk: int, payload: ApproveIn) -> dict[str, Any]:
    agreement = _agreement(request, pk)
    party = next((p for p in agreement.parties.all() if p.pk == payload.party_id), None)
    if party is None:
        raise ValidationError({"party_id": [_("This party is not part of the agreement.")]})
    access.require(request.user, Perm.AGREEMENT_APPROVE, party)
    approval = services.agreement_approve(
        agreement=agreement, party=party, by=_user(request), version_number=payload.version
    )
    return {
        "party_id": party.pk,
        "institution_id": party.institution_id,
        "version": approval.version.number,
        "content_hash": approval.content_hash,
        "approved_at": approval.approved_at,
    }


@router.post(
    "/agreements/{int:pk}/transition",
    response=AgreementOut,
    summary="Move the agreement to its next status",
    description=(
        "`to` is one of the agreement's `next_statuses`. Signing needs every party's approval "
        "of the current version and `signed_on`; terminating needs a `note`."
    ),
)
def transition_agreement(request: HttpRequest, pk: int, payload: TransitionIn) -> dict[str, Any]:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    services.agreement_transition(
        agreement=agreement,
        to=payload.to,
        by=_user(request),
        data={"signed_on": payload.signed_on, "note": payload.note},
    )
    return _detail(request.user, _fetch(request.user, pk))


@router.post(
    "/agreements/{int:pk}/renew",
    response={201: AgreementOut},
    summary="Renew an active or expired agreement",
    description="Marks it renewed and answers with its successor, opened as a draft.",
)
def renew_agreement(request: HttpRequest, pk: int, payload: RenewIn) -> Status:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    successor = services.agreement_renew(
        agreement=agreement,
        by=_user(request),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, _detail(request.user, _fetch(request.user, successor.pk)))


# --- recommendations, goals and results, situation analysis ------------------------------


def _recommendation(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "text": r.text,
        "area_id": r.area_id,
        "status": r.status,
        "due_on": r.due_on,
        "done_on": r.done_on,
        "evidence": r.evidence,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


def _work_item(item: WorkItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "period": item.period,
        "phase_id": item.phase_id,
        "planned": item.planned,
        "done": item.done,
        "is_done": item.is_done,
        "evidence": item.evidence,
    }


@router.get(
    "/agreements/{int:pk}/recommendations",
    response=list[RecommendationOut],
    summary="Recommendations",
)
def list_recommendations(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = _agreement(request, pk)
    return [_recommendation(r) for r in agreement.recommendations.all()]


@router.post(
    "/agreements/{int:pk}/recommendations",
    response={201: RecommendationOut},
    summary="Add a recommendation",
    description="The person who adds it owns it.",
)
def add_recommendation(request: HttpRequest, pk: int, payload: RecommendationIn) -> Status:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    recommendation = services.recommendation_add(
        agreement=agreement,
        text=payload.text,
        area=_row(PriorityArea, payload.area_id, "area_id"),
        owner=_user(request),
        due_on=payload.due_on,
    )
    return Status(201, _recommendation(recommendation))


@router.patch(
    "/agreements/{int:pk}/recommendations/{int:recommendation_id}",
    response=RecommendationOut,
    summary="Follow a recommendation up",
    description="Marking it done needs `evidence`. Fields left out keep their value.",
)
def update_recommendation(
    request: HttpRequest, pk: int, recommendation_id: int, payload: RecommendationPatch
) -> dict[str, Any]:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    target = agreement.recommendations.filter(pk=recommendation_id).first()
    if target is None:
        raise Http404
    given = payload.model_fields_set
    updated = services.recommendation_update(
        recommendation=target,
        status=payload.status or target.status,
        evidence=payload.evidence if payload.evidence is not None else target.evidence,
        owner=target.owner,
        due_on=payload.due_on if "due_on" in given else target.due_on,
    )
    return _recommendation(updated)


@router.get(
    "/agreements/{int:pk}/work-items",
    response=list[WorkItemOut],
    summary="Goals, activities and results",
)
def list_work_items(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = _agreement(request, pk)
    return [_work_item(item) for item in agreement.work_items.all()]


@router.post(
    "/agreements/{int:pk}/work-items",
    response={201: WorkItemOut},
    summary="Add a goal, activity or result",
)
def add_work_item(request: HttpRequest, pk: int, payload: WorkItemIn) -> Status:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    phase = (
        _row(Phase, payload.phase_id, "phase_id")
        if "phase_id" in payload.model_fields_set
        else agreement.phase
    )
    item = services.work_item_add(
        agreement=agreement,
        kind=payload.kind,
        title=payload.title,
        period=payload.period,
        phase=phase,
        planned=payload.planned,
        done=payload.done,
        is_done=payload.is_done,
        evidence=payload.evidence,
    )
    return Status(201, _work_item(item))


@router.get(
    "/agreements/{int:pk}/analyses",
    response=list[AnalysisOut],
    summary="The situation in each priority area",
)
def list_analyses(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = _agreement(request, pk)
    return [
        {"id": a.pk, "area_id": a.area_id, "situation": a.situation, "updated_at": a.updated_at}
        for a in agreement.analyses.order_by("area_id")
    ]


@router.post(
    "/agreements/{int:pk}/analyses",
    response=AnalysisOut,
    summary="Describe the situation in a priority area",
    description="One description per area: sending it again replaces it.",
)
def save_analysis(request: HttpRequest, pk: int, payload: AnalysisIn) -> dict[str, Any]:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    analysis = services.analysis_save(
        agreement=agreement,
        area=_row(PriorityArea, payload.area_id, "area_id"),
        situation=payload.situation,
    )
    return {
        "id": analysis.pk,
        "area_id": analysis.area_id,
        "situation": analysis.situation,
        "updated_at": analysis.updated_at,
    }


# --- documents ---------------------------------------------------------------------------


def _document(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "kind": doc.kind,
        "title": doc.title,
        "version": doc.version,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "uploaded_at": doc.uploaded_at,
    }


@router.get(
    "/agreements/{int:pk}/documents",
    response=list[DocumentOut],
    summary="Documents (for the parties and the network roles)",
)
def list_documents(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = _agreement(request, pk, Perm.AGREEMENT_DOCUMENTS)
    return [_document(d) for d in agreement.documents.all()]


@router.post(
    "/agreements/{int:pk}/documents",
    response={201: DocumentOut},
    summary="Upload a document (multipart form)",
    description="PDF, PNG or JPEG up to 20 MB; the same kind and title makes a new version.",
)
def upload_document(
    request: HttpRequest,
    pk: int,
    kind: Form[str],
    title: Form[str],
    file: File[UploadedFile],
) -> Status:
    agreement = _agreement(request, pk, Perm.AGREEMENT_EDIT)
    document = services.document_upload(
        agreement=agreement, kind=kind, title=title, upload=file, by=_user(request)
    )
    return Status(201, _document(document))


@router.get(
    "/agreements/{int:pk}/documents/{int:document_id}/file",
    summary="Download a document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
            }
        }
    },
)
def download_document(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    agreement = _agreement(request, pk, Perm.AGREEMENT_DOCUMENTS)
    doc = agreement.documents.filter(pk=document_id).first()
    if doc is None:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = doc.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        content_type=doc.content_type,
        as_attachment=True,
        filename=f"{doc.title}-v{doc.version}.{extension}",
    )


# --- the programme report ----------------------------------------------------------------


@router.get(
    "/programmes/{int:pk}/report",
    response=list[ReportRow],
    summary="Each agreement's goals, activities and results by period",
)
def programme_report(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    programme = _load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_VIEW, programme)
    rows = []
    for row in selectors.programme_report(request.user, programme):
        rows.append(
            {
                "agreement": _summary(row["agreement"]),
                "periods": [
                    {
                        "period": period,
                        "goals": [_work_item(i) for i in kinds["goal"]],
                        "activities": [_work_item(i) for i in kinds["activity"]],
                        "results": [_work_item(i) for i in kinds["result"]],
                    }
                    for period, kinds in row["periods"]
                ],
                "recommendations": [_recommendation(r) for r in row["recommendations"]],
                "open_recommendations": row["open_recommendations"],
            }
        )
    return rows
