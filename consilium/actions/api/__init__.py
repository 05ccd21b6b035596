"""The actions API: the network list with the page's filters, counts, one action, record,
change, move on and judge (``/api/v1/actions/``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from consilium.accounts.http import signed_in_user
from consilium.accounts.models import User
from consilium.actions import origins, selectors, services
from consilium.actions.api.schemas import (
    ActionCount,
    ActionIn,
    ActionJudgeIn,
    ActionListQuery,
    ActionOut,
    ActionPatch,
    ActionQuery,
    ActionTransitionIn,
)
from consilium.actions.models import Action
from consilium.actions.policy import Perm
from consilium.core import access
from consilium.core.api import Page, page, texts
from consilium.institutions.models import Institution

router = Router(tags=["actions"])


def _ref(type_id: int | None, pk: int | None) -> dict[str, Any] | None:
    if type_id is None or pk is None:
        return None
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_id(type_id)
    return {"kind": f"{ct.app_label}.{ct.model}", "id": pk}


def action_out(a: Action) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "title": texts(a, "title"),
        "description": texts(a, "description"),
        "institution_id": a.institution_id,
        "responsible_id": a.responsible_id,
        "opened_on": a.opened_on,
        "due_on": a.due_on,
        "status": a.status,
        "overdue": a.is_overdue,
        "evidence": a.evidence,
        "done_on": a.done_on,
        "drop_reason": a.drop_reason,
        "origin": _ref(a.origin_type_id, a.origin_id),
        "topic": _ref(a.topic_type_id, a.topic_id),
        "check": {
            "criterion": a.check_criterion,
            "due_on": a.check_due_on,
            "result": a.check_result,
            "note": a.check_note,
            "judged_by_id": a.checked_by_id,
            "judged_on": a.checked_on,
        },
        "follow_up_of_id": a.follow_up_of_id,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def _filter(params: ActionQuery) -> selectors.ActionFilter:
    return selectors.ActionFilter.from_params(params.dict())


def _load(request: HttpRequest, pk: int, perm: Perm = Perm.ACTION_VIEW) -> Action:
    try:
        action = selectors.action_detail(request.user, pk)
    except Action.DoesNotExist:
        raise Http404 from None
    access.require(request.user, perm, action)
    return action


def _person(pk: int | None) -> User | None:
    if pk is None:
        return None
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise ValidationError({"responsible_id": [_("This value is not valid.")]})
    return person


@router.get(
    "/",
    response=Page[ActionOut],
    summary="Actions",
    description=(
        "The actions you may see, by due date, with the network list's filters: `kind`, "
        "`status`, `institution` (owner), `origin` (e.g. `partnerships.agreement`) and "
        "`origin_id`, `overdue`, `responsible`. A value that is not a choice is ignored."
    ),
)
def list_actions(request: HttpRequest, params: Query[ActionListQuery]) -> dict[str, Any]:
    access.require(request.user, Perm.ACTION_MINE)
    qs = selectors.action_list(request.user, _filter(params))
    return page(qs, params, lambda rows: [action_out(a) for a in rows])


@router.get(
    "/counts",
    response=list[ActionCount],
    summary="Open and overdue actions per institution",
)
def count_actions(request: HttpRequest, params: Query[ActionQuery]) -> list[dict[str, Any]]:
    access.require(request.user, Perm.ACTION_NETWORK)
    return selectors.action_counts(request.user, _filter(params))


@router.get("/{int:pk}", response=ActionOut, summary="One action")
def get_action(request: HttpRequest, pk: int) -> dict[str, Any]:
    return action_out(_load(request, pk))


@router.post("/", response={201: ActionOut}, summary="Record an action")
def create_action(request: HttpRequest, payload: ActionIn) -> Status[dict[str, Any]]:
    institution = Institution.objects.filter(pk=payload.institution_id).first()
    if institution is None:
        raise ValidationError({"institution_id": [_("This value is not valid.")]})
    access.require(request.user, Perm.ACTION_CREATE, institution)
    target = None
    if payload.origin is not None:
        origin = origins.origin_by_key(payload.origin.kind)
        target = (
            origin.model._default_manager.filter(pk=payload.origin.id).first() if origin else None
        )
        if target is None:
            raise ValidationError({"origin": [_("This value is not valid.")]})
    action = services.action_create(
        institution=institution,
        kind=payload.kind,
        titles=payload.title.dict(),
        descriptions=payload.description.dict(),
        responsible=_person(payload.responsible_id),
        due_on=payload.due_on,
        origin=target,
        check_criterion=payload.check_criterion,
        check_due_on=payload.check_due_on,
        by=signed_in_user(request),
    )
    return Status(201, action_out(action))


@router.patch(
    "/{int:pk}",
    response=ActionOut,
    summary="Change an action",
    description="Fields left out keep their value; the status moves through `/status`.",
)
def update_action(request: HttpRequest, pk: int, payload: ActionPatch) -> dict[str, Any]:
    action = _load(request, pk, Perm.ACTION_EDIT)
    given = payload.model_fields_set
    updated = services.action_update(
        action=action,
        by=signed_in_user(request),
        titles={k: v for k, v in payload.title.dict().items() if v} if payload.title else None,
        descriptions=payload.description.dict() if payload.description else None,
        responsible=_person(payload.responsible_id)
        if "responsible_id" in given
        else action.responsible,
        due_on=payload.due_on if "due_on" in given else action.due_on,
        evidence=payload.evidence,
        check_criterion=payload.check_criterion,
        check_due_on=payload.check_due_on if "check_due_on" in given else action.check_due_on,
    )
    return action_out(updated)


@router.post("/{int:pk}/status", response=ActionOut, summary="Move an action on")
def transition_action(request: HttpRequest, pk: int, payload: ActionTransitionIn) -> dict[str, Any]:
    action = _load(request, pk, Perm.ACTION_EDIT)
    moved = services.action_transition(
        action=action, to=payload.to, by=signed_in_user(request), data=payload.dict()
    )
    return action_out(moved)


@router.post(
    "/{int:pk}/check",
    response=ActionOut,
    summary="Record the effectiveness check",
    description=(
        "Effective: the action is verified. Not effective: a new linked action is opened and "
        "returned."
    ),
)
def judge_action(request: HttpRequest, pk: int, payload: ActionJudgeIn) -> dict[str, Any]:
    action = _load(request, pk, Perm.ACTION_EDIT)
    result = services.action_judge(
        action=action,
        result=payload.result,
        note=payload.note,
        by=signed_in_user(request),
        follow_up_due_on=payload.follow_up_due_on,
    )
    return action_out(result)
