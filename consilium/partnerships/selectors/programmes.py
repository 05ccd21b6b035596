"""Reads of programmes: the list (counting only the agreements one may see), one programme
with its phases, areas and funders, and the programme report."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from consilium.actions.models import Action
from consilium.partnerships.models import Programme, WorkItem
from consilium.partnerships.policy import visible_agreements
from consilium.partnerships.recommendations import open_count, recommendations_query, with_areas
from consilium.partnerships.selectors.agreements import AgreementFilter, agreement_list


def programme_list(user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.select_related("owner")
        .annotate(
            # Only the agreements this user may see: the count must not reveal hidden ones.
            agreement_count=Coalesce(
                Subquery(
                    visible_agreements(user)
                    .filter(programme=OuterRef("pk"))
                    .order_by()
                    .values("programme")
                    .annotate(n=Count("id"))
                    .values("n")[:1]
                ),
                0,
            )
        )
        .order_by("-starts_on", "id")
    )


def programme_detail(pk: int) -> Programme:
    return (
        Programme.objects.select_related("owner")
        .prefetch_related("phases", "priority_areas", "funders")
        .get(pk=pk)
    )


def programme_report(user: Any, programme: Programme) -> list[dict[str, Any]]:
    """Each pair's results for each phase and goals for the next, as the conference shows."""
    agreements = list(
        agreement_list(user, AgreementFilter(programme=programme.pk)).prefetch_related(
            Prefetch(
                "work_items",
                queryset=WorkItem.objects.select_related("phase").order_by("period", "kind", "id"),
            ),
        )
    )
    # Recommendations are actions about each agreement (one query for all, with their areas).
    by_agreement: dict[int, list[Action]] = {}
    for action in with_areas(recommendations_query([a.pk for a in agreements])):
        by_agreement.setdefault(action.origin_id or 0, []).append(action)
    report = []
    for agreement in agreements:
        items = list(agreement.work_items.all())
        periods: dict[str, dict[str, list[WorkItem]]] = {}
        for item in items:
            periods.setdefault(item.period, {"goal": [], "activity": [], "result": []})[
                item.kind
            ].append(item)
        recommendations = by_agreement.get(agreement.pk, [])
        report.append(
            {
                "agreement": agreement,
                "periods": sorted(periods.items()),
                "recommendations": recommendations,
                "open_recommendations": open_count(recommendations),
            }
        )
    return report
