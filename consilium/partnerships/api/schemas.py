"""Every schema of the partnerships API, in and out, by the part it belongs to.

OpenAPI component names are global, so each is named after what it is here
(``core/tests/test_api.py`` fails on two schemas of one name)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from consilium.core.api import Paging, Texts

MAX_ID = 2**63 - 1  # ids beyond a 64-bit integer cannot exist; refuse them before the database


# --- shared -----------------------------------------------------------------------------


class InstitutionRef(Schema):
    id: int
    name: str
    short_name: str
    country: str
    kind: str


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


# --- agreements --------------------------------------------------------------------------


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


# --- recommendations, goals and results, situation analysis ------------------------------


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
    reason: str | None = Field(None, description="Why it is dropped.")


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


# --- documents ---------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    version: int
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


# --- the programme report and the network picture ---------------------------------------


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
