"""What an agreement works towards: situation analyses, recommendations, goals and results."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.core.services import service
from consilium.partnerships.choices import RecommendationStatus, WorkKind
from consilium.partnerships.models import (
    Agreement,
    Phase,
    PriorityArea,
    Recommendation,
    SituationAnalysis,
    WorkItem,
)
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
) -> Recommendation:
    if area is not None and area.programme_id != agreement.programme_id:
        raise ValidationError({"area": [_("The area must belong to the agreement's programme.")]})
    recommendation = Recommendation(
        agreement=agreement, text=text.strip(), area=area, owner=owner, due_on=due_on
    )
    recommendation.full_clean()
    recommendation.save()
    return recommendation


@service(bumps=[CONTENT])
def recommendation_update(
    *,
    recommendation: Recommendation,
    status: str,
    evidence: str = "",
    owner: User | None = None,
    due_on: date | None = None,
) -> Recommendation:
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if status == RecommendationStatus.DONE and not evidence.strip():
        raise ValidationError({"evidence": [_("Give the evidence that it is done.")]})
    recommendation.status = status
    recommendation.evidence = evidence.strip()
    recommendation.owner = owner
    recommendation.due_on = due_on
    recommendation.done_on = timezone.localdate() if status == RecommendationStatus.DONE else None
    recommendation.full_clean()
    recommendation.save()
    return recommendation


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
