"""The programme report over the API: each agreement's goals, activities and results by period."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from consilium.core import access
from consilium.partnerships import selectors
from consilium.partnerships.api.agreements import summary
from consilium.partnerships.api.programmes import load_programme
from consilium.partnerships.api.recommendations import recommendation_out, work_item_out
from consilium.partnerships.api.schemas import ReportRow
from consilium.partnerships.policy import Perm

router = Router()


@router.get(
    "/programmes/{int:pk}/report",
    response=list[ReportRow],
    summary="Each agreement's goals, activities and results by period",
)
def programme_report(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    programme = load_programme(pk)
    access.require(request.user, Perm.PROGRAMME_VIEW, programme)
    rows = []
    for row in selectors.programme_report(request.user, programme):
        rows.append(
            {
                "agreement": summary(row["agreement"]),
                "periods": [
                    {
                        "period": period,
                        "goals": [work_item_out(i) for i in kinds["goal"]],
                        "activities": [work_item_out(i) for i in kinds["activity"]],
                        "results": [work_item_out(i) for i in kinds["result"]],
                    }
                    for period, kinds in row["periods"]
                ],
                "recommendations": [recommendation_out(r) for r in row["recommendations"]],
                "open_recommendations": row["open_recommendations"],
            }
        )
    return rows
