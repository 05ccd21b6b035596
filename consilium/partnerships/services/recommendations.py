"""What an agreement works towards: situation analyses, recommendations, goals and results."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.actions import services as actions
from consilium.actions.choices import ActionKind, ActionStatus
from consilium.actions.models import Action
from consilium.core.services import service
from consilium.partnerships.choices import WorkKind
from consilium.partnerships.models import (
    Agreement,
    Phase,
    PriorityArea,
    SituationAnalysis,
    WorkItem,
)
from consilium.partnerships.recommendations import owner_institution
from consilium.partnerships.services.common import CONTENT


@service(bumps=[CONTENT])
def analysis_save(*, agreement: Agreement, area: PriorityArea, situation: str) -> SituationAnalysis:
    if agreement.programme_id is None or area.programme_id != agreement.programme_id:
        raise ValidationError({"area": [_("The area must belong to the agreement's programme.")]})
    if not situation.strip():
        raise ValidationError({"situation": [_("Describe the current situation.")]})
    analysis, _created = SituationAnalysis.objects.update_or_create(
        agreement=agreement, area=area, defaults={"situation": situation.strip()}
    )
    return analysis


@service(bumps=[CONTENT])
def recommendation_add(
    *,
    agreement: Agreement,
    text: str,
    area: PriorityArea | None = None,
    owner: User | None = None,
    due_on: date | None = None,
    opened_on: date | None = None,
) -> Action:
    """A recommendation is an action (``consilium.actions``) about the agreement and one of its
    programme's priority areas, owned by the party the owner speaks for, in the language the
    owner writes (the active one)."""
    if area is not None and area.programme_id != agreement.programme_id:
        raise ValidationError({"area": [_("The area must belong to the agreement's programme.")]})
    if not text.strip():
        raise ValidationError({"text": [_("Write the recommendation.")]})
    institution = owner_institution(agreement, owner)
    if institution is None:
        raise ValidationError(_("The agreement has no parties to own the recommendation."))
    titles, descriptions = actions.texts_in_language(text)
    return actions.action_create(
        institution=institution,
        kind=ActionKind.RECOMMENDATION,
        titles=titles,
        descriptions=descriptions,
        by=owner,
        responsible=owner,
        due_on=due_on,
        opened_on=opened_on,
        origin=agreement,
        topic=area,
    )


@service(bumps=[CONTENT])
def recommendation_update(
    *,
    recommendation: Action,
    status: str,
    evidence: str = "",
    owner: User | None = None,
    due_on: date | None = None,
    reason: str = "",
    by: User | None = None,
) -> Action:
    """Follow a recommendation up: its evidence, owner and due date, then its status as the
    actions' transition table allows (done needs evidence; dropped needs a reason, else the
    evidence given is taken as the reason)."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if status == ActionStatus.DONE and not evidence.strip():
        raise ValidationError({"evidence": [_("Give the evidence that it is done.")]})
    moved = actions.action_transition(
        action=recommendation,
        to=status,
        by=by,
        data={"evidence": evidence, "drop_reason": reason or evidence},
    )
    return actions.action_update(
        action=moved, by=by, responsible=owner, due_on=due_on, evidence=evidence
    )


@service(bumps=[CONTENT])
def work_item_add(
    *,
    agreement: Agreement,
    kind: str,
    title: str,
    period: str,
    phase: Phase | None = None,
    planned: str = "",
    done: str = "",
    is_done: bool = False,
    evidence: str = "",
) -> WorkItem:
    if kind not in WorkKind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    if phase is not None and phase.programme_id != agreement.programme_id:
        raise ValidationError({"phase": [_("The phase must belong to the agreement's programme.")]})
    item = WorkItem(
        agreement=agreement,
        kind=kind,
        title=title.strip(),
        period=period.strip(),
        phase=phase,
        planned=planned.strip(),
        done=done.strip(),
        is_done=is_done,
        evidence=evidence.strip(),
    )
    item.full_clean()
    item.save()
    return item
