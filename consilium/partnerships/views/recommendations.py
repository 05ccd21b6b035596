"""What an agreement works towards: situation analyses, recommendations (actions of
``consilium.actions`` about the agreement, recorded here in one step), goals and results."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.actions.policy import Perm as ActionPerm
from consilium.core import access
from consilium.core.access import requires
from consilium.core.viewkit import action
from consilium.partnerships import services
from consilium.partnerships.forms import (
    AnalysisForm,
    RecommendationForm,
    RecommendationUpdateForm,
    WorkItemForm,
)
from consilium.partnerships.models import Agreement
from consilium.partnerships.policy import Perm
from consilium.partnerships.recommendations import recommendations_query
from consilium.partnerships.views.common import detail_url, load_agreement


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def analysis_save(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.analysis_save(agreement=agreement, area=data["area"], situation=data["situation"])
        return _("The situation analysis is saved.")

    return action(
        request,
        AnalysisForm(request.POST, programme=agreement.programme),
        act,
        to=detail_url(pk),
        invalid=_("Choose a priority area and describe the situation."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def recommendation_add(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.recommendation_add(
            agreement=agreement,
            text=data["text"],
            area=data["area"],
            owner=request.user,
            due_on=data["due_on"],
        )
        return _("The recommendation is added.")

    return action(
        request,
        RecommendationForm(request.POST, programme=agreement.programme),
        act,
        to=detail_url(pk),
        invalid=_("Write the recommendation."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def recommendation_update(
    request: AuthedRequest, pk: int, recommendation: int, *, agreement: Agreement
) -> HttpResponse:
    target = get_object_or_404(recommendations_query([pk]), pk=recommendation)
    # A party's coordinator edits the agreement; the recommendation is its owner's to change.
    access.require(request.user, ActionPerm.ACTION_EDIT, target)

    def act(data: dict[str, Any]) -> str:
        services.recommendation_update(
            recommendation=target,
            status=data["status"],
            evidence=data["evidence"],
            owner=target.responsible,
            due_on=data["due_on"] or target.due_on,
            by=request.user,
        )
        return _("The recommendation is updated.")

    return action(
        request,
        RecommendationUpdateForm(request.POST),
        act,
        to=detail_url(pk),
        invalid=_("Choose a status from the list."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def work_item_add(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.work_item_add(agreement=agreement, phase=agreement.phase, **data)
        return _("Saved.")

    return action(
        request,
        WorkItemForm(request.POST),
        act,
        to=detail_url(pk),
        invalid=_("Give the kind, the period and a title."),
    )
