"""Programmes over the API: list, set up, read and change them, add phases, areas, funders."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from consilium.accounts.http import signed_in_user
from consilium.core import access
from consilium.core.api import Page, Paging, page, texts
from consilium.institutions.models import Institution
from consilium.partnerships import selectors, services
from consilium.partnerships.api.common import institution_ref, row_by_id
from consilium.partnerships.api.schemas import (
    AreaIn,
    AreaOut,
    FunderIn,
    FunderOut,
    PhaseIn,
    PhaseOut,
    ProgrammeDetail,
    ProgrammeIn,
    ProgrammeListItem,
    ProgrammePatch,
)
from consilium.partnerships.models import Phase, Programme
from consilium.partnerships.policy import Perm

router = Router()


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
        "owner": institution_ref(programme.owner),
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


def load_programme(pk: int) -> Programme:
    """The programme with its phases, areas and funders, or 404; the caller checks access."""
    try:
        return selectors.programme_detail(pk)
    except Programme.DoesNotExist:
        raise Http404 from None


def _programme_owner(request: HttpRequest, owner_id: int) -> Institution:
    """The ministry a programme is run by; only its own administrators may choose it."""
    owner: Institution = row_by_id(Institution, owner_id, "owner_id")
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
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    access.require(request.user, Perm.PROGRAMME_MANAGE)
    programme = services.programme_create(
        owner=_programme_owner(request, payload.owner_id),
        titles=payload.title.model_dump(),
        descriptions=payload.description.model_dump(),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        funding_frame=payload.funding_frame,
        by=signed_in_user(request),
    )
    return Status(201, _programme(load_programme(programme.pk), detail=True))


@router.get("/programmes/{int:pk}", response=ProgrammeDetail, summary="One programme")
def get_programme(request: HttpRequest, pk: int) -> dict[str, Any]:
    programme = load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_VIEW, programme)
    return _programme(programme, detail=True)


@router.patch("/programmes/{int:pk}", response=ProgrammeDetail, summary="Change a programme")
def update_programme(request: HttpRequest, pk: int, payload: ProgrammePatch) -> dict[str, Any]:
    programme = load_programme(pk)
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
    services.programme_update(programme=programme, data=data, by=signed_in_user(request))
    return _programme(load_programme(pk), detail=True)


@router.post("/programmes/{int:pk}/phases", response={201: PhaseOut}, summary="Add a phase")
def add_phase(request: HttpRequest, pk: int, payload: PhaseIn) -> Status[dict[str, Any]]:
    programme = load_programme(pk)
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
def add_area(request: HttpRequest, pk: int, payload: AreaIn) -> Status[dict[str, Any]]:
    programme = load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_MANAGE, programme)
    area = services.priority_area_add(programme=programme, names=payload.name.model_dump())
    return Status(201, {"id": area.pk, "name": texts(area, "name")})


@router.post("/programmes/{int:pk}/funders", response={201: FunderOut}, summary="Add a funder")
def add_funder(request: HttpRequest, pk: int, payload: FunderIn) -> Status[dict[str, Any]]:
    programme = load_programme(pk)
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
