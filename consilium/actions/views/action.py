"""One action: its page, recording one (from any origin's page in one step), changing it,
moving it on, judging its effectiveness, its evidence files."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.accounts.models import User
from consilium.actions import lifecycle, origins, selectors, services
from consilium.actions.choices import ActionStatus
from consilium.actions.forms import ActionForm, EvidenceForm, JudgeForm, TransitionForm
from consilium.actions.models import Action, EvidenceFile
from consilium.actions.policy import Perm, coordinated_institution_ids
from consilium.actions.views.common import detail_url, load_action
from consilium.core import access
from consilium.core.access import requires
from consilium.core.history import readable_history
from consilium.core.viewkit import Done, form_page
from consilium.core.viewkit import action as run_action
from consilium.institutions.models import Institution


def _people(institution_ids: list[int]) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, memberships__institution_id__in=institution_ids)
        .distinct()
        .order_by("full_name", "email")
    )


def _lang() -> str:
    return (translation.get_language() or "en")[:2]


@requires(Perm.ACTION_VIEW, action=load_action)
def action_detail(request: AuthedRequest, pk: int, *, action: Action) -> HttpResponse:
    can_edit = access.can(request.user, Perm.ACTION_EDIT, action)
    origin = origins.origin_of_type(action.origin_type_id)
    target = action.origin if origin is not None else None
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "can_edit": can_edit,
            "origin_url": origin.url(target) if origin is not None and target is not None else "",
            "origin_object": target,
            "topic": action.topic if action.topic_type_id else None,
            "next_statuses": [
                (s, label)
                for s, label in ActionStatus.choices
                if s in lifecycle.allowed(action.status)
            ]
            if can_edit
            else [],
            "can_judge": can_edit
            and action.status == ActionStatus.DONE
            and bool(action.check_criterion),
            "transition_form": TransitionForm(),
            "judge_form": JudgeForm(),
            "evidence_form": EvidenceForm(),
            "history": readable_history(selectors.action_history(action), Action),
        },
    )


@requires(Perm.ACTION_CREATE)
def action_create(request: AuthedRequest) -> HttpResponse:
    """Record an action; ``?origin=<app.model>&origin_id=<pk>`` links it to that object."""
    origin_key = request.GET.get("origin") or ""
    origin = origins.origin_by_key(origin_key)
    target: Any = None
    if origin is not None:
        target = origin.model._default_manager.filter(pk=request.GET.get("origin_id") or 0).first()
        if target is None:
            raise Http404
    coordinated = coordinated_institution_ids(request.user)
    if access.grants(request.user).is_network_admin:
        institutions = Institution.objects.order_by("name")
    else:
        institutions = Institution.objects.filter(pk__in=coordinated).order_by("name")
    if target is not None:
        parties = origin.parties(target)  # type: ignore[union-attr]
        institutions = institutions.filter(pk__in=parties)
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        institutions=institutions,
        people=_people(list(institutions.values_list("pk", flat=True))),
    )

    def save(data: dict[str, Any]) -> Done:
        access.require(request.user, Perm.ACTION_CREATE, data["institution"])
        created = services.action_create(
            institution=data["institution"],
            kind=data["kind"],
            titles={_lang(): data["title"]},
            descriptions={_lang(): data["description"]},
            responsible=data["responsible"],
            due_on=data["due_on"],
            check_criterion=data["check_criterion"],
            check_due_on=data["check_due_on"],
            origin=target,
            by=request.user,
        )
        return Done(_("The action is recorded."), to=detail_url(created.pk))

    return form_page(
        request,
        form,
        save,
        template="actions/form.html",
        context={"origin_object": target, "title": _("Record an action")},
    )


@requires(Perm.ACTION_EDIT, action=load_action)
def action_edit(request: AuthedRequest, pk: int, *, action: Action) -> HttpResponse:
    lang = _lang()
    initial = {
        "title": getattr(action, f"title_{lang}", "") or action.title,
        "description": getattr(action, f"description_{lang}", "") or action.description,
        "responsible": action.responsible_id,
        "due_on": action.due_on,
        "check_criterion": action.check_criterion,
        "check_due_on": action.check_due_on,
    }
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        people=_people([action.institution_id]),
        editing=True,
    )

    def save(data: dict[str, Any]) -> str:
        services.action_update(
            action=action,
            by=request.user,
            titles={lang: data["title"]},
            descriptions={lang: data["description"]},
            responsible=data["responsible"],
            due_on=data["due_on"],
            check_criterion=data["check_criterion"],
            check_due_on=data["check_due_on"],
        )
        return _("The action is saved.")

    return form_page(
        request,
        form,
        save,
        template="actions/form.html",
        to=detail_url(pk),
        context={"action": action, "title": _("Change the action")},
    )


@require_POST
@requires(Perm.ACTION_EDIT, action=load_action)
def action_transition(request: AuthedRequest, pk: int, *, action: Action) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        services.action_transition(action=action, to=data["to"], by=request.user, data=data)
        return _("The status is changed.")

    return run_action(request, TransitionForm(request.POST), act, to=detail_url(pk))


@require_POST
@requires(Perm.ACTION_EDIT, action=load_action)
def action_judge(request: AuthedRequest, pk: int, *, action: Action) -> HttpResponse:
    def act(data: dict[str, Any]) -> Done:
        result = services.action_judge(
            action=action,
            result=data["result"],
            note=data["note"],
            by=request.user,
            follow_up_due_on=data["follow_up_due_on"],
        )
        if result.pk != action.pk:
            return Done(
                _("Not effective: the work goes on as a new action."), to=detail_url(result.pk)
            )
        return Done(_("Effective: the action is verified."))

    return run_action(request, JudgeForm(request.POST), act, to=detail_url(pk))


@require_POST
@requires(Perm.ACTION_EDIT, action=load_action)
def evidence_upload(request: AuthedRequest, pk: int, *, action: Action) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        services.evidence_upload(
            action=action, title=data["title"], upload=data["file"], by=request.user
        )
        return _("The file is added.")

    return run_action(request, EvidenceForm(request.POST, request.FILES), act, to=detail_url(pk))


@requires(Perm.ACTION_VIEW, action=load_action)
def evidence_download(
    request: AuthedRequest, pk: int, file: int, *, action: Action
) -> FileResponse:
    item = get_object_or_404(EvidenceFile, pk=file, action_id=pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{item.title}{item.file.name[item.file.name.rfind('.') :]}",
        content_type=item.content_type,
    )
