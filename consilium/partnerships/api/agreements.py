"""Agreements over the API: the list and its filters, one agreement, its versions and their
differences, the network; proposing, editing (optimistically, by revision), approving,
moving through the lifecycle and renewing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from consilium.accounts.http import signed_in_user
from consilium.core import access
from consilium.core.api import Conflict, Page, page, texts
from consilium.core.idempotency import once, valid_key
from consilium.institutions.models import Institution
from consilium.partnerships import lifecycle, selectors, services
from consilium.partnerships.api.common import (
    fetch_agreement,
    institution_ref,
    require_agreement,
    row_by_id,
)
from consilium.partnerships.api.schemas import (
    MAX_ID,
    AgreementIn,
    AgreementListQuery,
    AgreementOut,
    AgreementPatch,
    AgreementPut,
    AgreementQuery,
    AgreementSummary,
    ApprovalOut,
    ApproveIn,
    DiffOut,
    FundingIn,
    NetworkOut,
    PartyIn,
    RenewIn,
    TransitionIn,
    VersionContent,
    VersionOut,
)
from consilium.partnerships.choices import AgreementStatus
from consilium.partnerships.models import Agreement, AgreementVersion, Approval, Phase, Programme
from consilium.partnerships.policy import Perm

router = Router()


# --- reading ----------------------------------------------------------------------------


def summary(agreement: Agreement) -> dict[str, Any]:
    """An agreement as ``AgreementSummary`` (the list, the report)."""
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
            {"id": p.pk, "institution": institution_ref(p.institution), "role": p.role}
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
    data = summary(agreement)
    data.update(
        {
            "summary": agreement.summary,
            "revision": agreement.revision,
            "renewal_of_id": agreement.renewal_of_id,
            "parties": [
                {
                    "id": p.pk,
                    "institution": institution_ref(p.institution),
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
    return page(qs, params, lambda rows: [summary(a) for a in rows])


@router.get("/agreements/{int:pk}", response=AgreementOut, summary="One agreement")
def get_agreement(request: HttpRequest, pk: int) -> dict[str, Any]:
    agreement = require_agreement(request, pk)
    return _detail(request.user, agreement)


@router.get(
    "/agreements/{int:pk}/versions",
    response=list[VersionOut],
    summary="The frozen versions of the draft, newest first",
)
def list_versions(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = require_agreement(request, pk)
    return [_version(v) for v in _versions(agreement)]


@router.get(
    "/agreements/{int:pk}/versions/{int:number}",
    response=VersionContent,
    summary="One version with its content",
)
def get_version(request: HttpRequest, pk: int, number: int) -> dict[str, Any]:
    agreement = require_agreement(request, pk)
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
    agreement = require_agreement(request, pk)
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


# --- writing ----------------------------------------------------------------------------


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
        "programme": row_by_id(Programme, payload.programme_id, "programme_id"),
        "phase": row_by_id(Phase, payload.phase_id, "phase_id"),
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
            row_by_id(Programme, payload.programme_id, "programme_id")
            if "programme_id" in sent
            else current.programme
        ),
        "phase": row_by_id(Phase, payload.phase_id, "phase_id")
        if "phase_id" in sent
        else current.phase,
        "summary": current.summary if payload.summary is None else payload.summary,
        "valid_from": payload.valid_from if "valid_from" in sent else current.valid_from,
        "valid_until": payload.valid_until if "valid_until" in sent else current.valid_until,
        "funding": funding,
        "is_public": current.is_public if payload.is_public is None else payload.is_public,
    }


def _conflict(pk: int) -> Status[dict[str, Any]]:
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


@router.post(
    "/agreements/",
    response={201: AgreementOut},
    summary="Propose an agreement",
    description=(
        "Send an `Idempotency-Key` header (8 to 100 letters, digits or `_.:-`, e.g. a UUID) "
        "to make a retry safe: a second request with the same key from the same account "
        "creates nothing and answers, again with 201, with the agreement the first one created. "
        "Without the header every request proposes a new one."
    ),
)
def create_agreement(
    request: HttpRequest,
    payload: AgreementIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[dict[str, Any]]:
    access.require(request.user, Perm.AGREEMENT_CREATE)
    fields = _full(payload)
    services.agreement_check_proposer(request.user, fields["parties"])
    user = signed_in_user(request)
    pk, _created = once(
        scope="partnerships.agreement_create",  # as the form's (views/agreements.py)
        user=user,
        key=valid_key(idempotency_key),
        create=lambda: services.agreement_create(by=user, **fields).pk,
    )
    return Status(201, _detail(request.user, fetch_agreement(request.user, pk)))


def _edit(
    request: HttpRequest, pk: int, payload: AgreementPut | AgreementPatch
) -> Status[dict[str, Any]]:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    if payload.revision != agreement.revision:
        return _conflict(pk)
    content = _merged(payload, agreement) if isinstance(payload, AgreementPatch) else _full(payload)
    try:
        services.agreement_edit(
            agreement=agreement,
            expected_revision=payload.revision,
            by=signed_in_user(request),
            **content,
        )
    except services.ConflictError:
        return _conflict(pk)
    return Status(200, _detail(request.user, fetch_agreement(request.user, pk)))


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
def replace_agreement(
    request: HttpRequest, pk: int, payload: AgreementPut
) -> Status[dict[str, Any]]:
    return _edit(request, pk, payload)


@router.patch(
    "/agreements/{int:pk}",
    response={200: AgreementOut, 409: Conflict},
    summary="Change part of the draft",
    description=EDIT_DESCRIPTION + " Fields left out keep their value.",
)
def update_agreement(
    request: HttpRequest, pk: int, payload: AgreementPatch
) -> Status[dict[str, Any]]:
    return _edit(request, pk, payload)


@router.post(
    "/agreements/{int:pk}/approve",
    response=ApprovalOut,
    summary="Approve the current version for a party",
)
def approve_agreement(request: HttpRequest, pk: int, payload: ApproveIn) -> dict[str, Any]:
    agreement = require_agreement(request, pk)
    party = next((p for p in agreement.parties.all() if p.pk == payload.party_id), None)
    if party is None:
        raise ValidationError({"party_id": [_("This party is not part of the agreement.")]})
    access.require(request.user, Perm.AGREEMENT_APPROVE, party)
    approval = services.agreement_approve(
        agreement=agreement, party=party, by=signed_in_user(request), version_number=payload.version
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
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    services.agreement_transition(
        agreement=agreement,
        to=payload.to,
        by=signed_in_user(request),
        data={"signed_on": payload.signed_on, "note": payload.note},
    )
    return _detail(request.user, fetch_agreement(request.user, pk))


@router.post(
    "/agreements/{int:pk}/renew",
    response={201: AgreementOut},
    summary="Renew an active or expired agreement",
    description="Marks it renewed and answers with its successor, opened as a draft.",
)
def renew_agreement(request: HttpRequest, pk: int, payload: RenewIn) -> Status[dict[str, Any]]:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    successor = services.agreement_renew(
        agreement=agreement,
        by=signed_in_user(request),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, _detail(request.user, fetch_agreement(request.user, successor.pk)))
