"""What an agreement works towards, over the API: recommendations, goals, activities and
results, and the situation in each priority area."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from consilium.accounts.http import signed_in_user
from consilium.actions.models import Action
from consilium.actions.policy import Perm as ActionPerm
from consilium.core import access
from consilium.partnerships import services
from consilium.partnerships.api.common import require_agreement, row_by_id
from consilium.partnerships.api.schemas import (
    AnalysisIn,
    AnalysisOut,
    RecommendationIn,
    RecommendationOut,
    RecommendationPatch,
    WorkItemIn,
    WorkItemOut,
)
from consilium.partnerships.models import Phase, PriorityArea, WorkItem
from consilium.partnerships.policy import Perm
from consilium.partnerships.recommendations import recommendations_query

router = Router()


def recommendation_out(r: Action) -> dict[str, Any]:
    """A recommendation (an action about the agreement) as ``RecommendationOut``: the shape it
    had before recommendations became actions, plus the action's id is the same id."""
    return {
        "id": r.pk,
        "text": r.text,
        "area_id": r.topic_id,
        "status": r.status,
        "due_on": r.due_on,
        "done_on": r.done_on,
        "evidence": r.evidence,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


def work_item_out(item: WorkItem) -> dict[str, Any]:
    """A goal, activity or result as ``WorkItemOut``."""
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
    agreement = require_agreement(request, pk)
    return [recommendation_out(r) for r in recommendations_query([agreement.pk])]


@router.post(
    "/agreements/{int:pk}/recommendations",
    response={201: RecommendationOut},
    summary="Add a recommendation",
    description="The person who adds it owns it.",
)
def add_recommendation(
    request: HttpRequest, pk: int, payload: RecommendationIn
) -> Status[dict[str, Any]]:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    recommendation = services.recommendation_add(
        agreement=agreement,
        text=payload.text,
        area=row_by_id(PriorityArea, payload.area_id, "area_id"),
        owner=signed_in_user(request),
        due_on=payload.due_on,
    )
    return Status(201, recommendation_out(recommendation))


@router.patch(
    "/agreements/{int:pk}/recommendations/{int:recommendation_id}",
    response=RecommendationOut,
    summary="Follow a recommendation up",
    description=(
        "Marking it done needs `evidence`; dropping it needs a `reason` (else the `evidence` "
        "is taken as the reason). The status moves as the actions' transition table allows "
        "(see docs/actions.md). Fields left out keep their value."
    ),
)
def update_recommendation(
    request: HttpRequest, pk: int, recommendation_id: int, payload: RecommendationPatch
) -> dict[str, Any]:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    target = recommendations_query([agreement.pk]).filter(pk=recommendation_id).first()
    if target is None:
        raise Http404
    access.require(request.user, ActionPerm.ACTION_EDIT, target)
    given = payload.model_fields_set
    updated = services.recommendation_update(
        recommendation=target,
        status=payload.status or target.status,
        evidence=payload.evidence if payload.evidence is not None else target.evidence,
        owner=target.responsible,
        due_on=payload.due_on if "due_on" in given else target.due_on,
        reason=payload.reason or "",
        by=signed_in_user(request),
    )
    return recommendation_out(updated)


@router.get(
    "/agreements/{int:pk}/work-items",
    response=list[WorkItemOut],
    summary="Goals, activities and results",
)
def list_work_items(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = require_agreement(request, pk)
    return [work_item_out(item) for item in agreement.work_items.all()]


@router.post(
    "/agreements/{int:pk}/work-items",
    response={201: WorkItemOut},
    summary="Add a goal, activity or result",
)
def add_work_item(request: HttpRequest, pk: int, payload: WorkItemIn) -> Status[dict[str, Any]]:
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    phase = (
        row_by_id(Phase, payload.phase_id, "phase_id")
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
    return Status(201, work_item_out(item))


@router.get(
    "/agreements/{int:pk}/analyses",
    response=list[AnalysisOut],
    summary="The situation in each priority area",
)
def list_analyses(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    agreement = require_agreement(request, pk)
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
    agreement = require_agreement(request, pk, Perm.AGREEMENT_EDIT)
    analysis = services.analysis_save(
        agreement=agreement,
        area=row_by_id(PriorityArea, payload.area_id, "area_id"),
        situation=payload.situation,
    )
    return {
        "id": analysis.pk,
        "area_id": analysis.area_id,
        "situation": analysis.situation,
        "updated_at": analysis.updated_at,
    }
