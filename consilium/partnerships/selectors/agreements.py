"""Reads of agreements, scoped by the access policy and joined: the list and its filter, one
agreement, an institution's agreements, the network picture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from consilium.core.text import is_number as _is_number
from consilium.institutions.countries import COUNTRY_CODES
from consilium.partnerships import lifecycle
from consilium.partnerships.choices import AgreementKind, AgreementStatus, CooperationForm
from consilium.partnerships.models import Agreement, AgreementForm, AgreementParty
from consilium.partnerships.policy import visible_agreements

ENDING_SOON_DAYS = 90


def _int(value: Any) -> int | None:
    return int(value) if _is_number(str(value or "")) else None


@dataclass(frozen=True)
class AgreementFilter:
    """The filters the list page, the exports and the API share."""

    q: str = ""
    programme: int | None = None
    phase: int | None = None
    kind: str = ""
    status: str = ""
    country: str = ""
    form: str = ""
    partner: int | None = None
    ending_soon: bool = False

    @classmethod
    def from_params(cls, params: Any) -> AgreementFilter:
        kind = params.get("kind") or ""
        status = params.get("status") or ""
        country = (params.get("country") or "").upper()
        form = params.get("form") or ""
        ending = str(params.get("ending_soon") or "").lower()
        return cls(
            q=(params.get("q") or "")[:200],
            programme=_int(params.get("programme")),
            phase=_int(params.get("phase")),
            kind=kind if kind in AgreementKind.values else "",
            status=status if status in AgreementStatus.values else "",
            country=country if country in COUNTRY_CODES else "",
            form=form if form in CooperationForm.values else "",
            partner=_int(params.get("partner")),
            ending_soon=ending in {"1", "true", "on", "yes"},
        )


def _joined(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return qs.select_related("programme", "phase").prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("institution").order_by("order", "id"),
        ),
        "forms",
    )


def agreement_list(user: Any, flt: AgreementFilter | None = None) -> QuerySet[Agreement]:
    flt = flt or AgreementFilter()
    qs = visible_agreements(user)
    if flt.programme:
        qs = qs.filter(programme_id=flt.programme)
    if flt.phase:
        qs = qs.filter(phase_id=flt.phase)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.country:
        # IN (subquery) rather than a correlated EXISTS: the planner reads the parties of
        # the country's institutions once instead of probing them for every agreement.
        qs = qs.filter(
            pk__in=AgreementParty.objects.filter(institution__country=flt.country).values(
                "agreement_id"
            )
        )
    if flt.form:
        qs = qs.filter(pk__in=AgreementForm.objects.filter(form=flt.form).values("agreement_id"))
    if flt.partner:
        qs = qs.filter(
            pk__in=AgreementParty.objects.filter(institution_id=flt.partner).values("agreement_id")
        )
    if flt.ending_soon:
        today = timezone.localdate()
        qs = qs.filter(
            status__in=lifecycle.IN_FORCE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=ENDING_SOON_DAYS),
        )
    if flt.q:
        words = flt.q.split()
        for word in words[:8]:
            qs = qs.filter(
                Q(title_en__icontains=word)
                | Q(title_ru__icontains=word)
                | Q(title_uk__icontains=word)
                | Q(title_kk__icontains=word)
                | Q(number__icontains=word)
            )
    return _joined(qs).order_by("-created_at", "-id")


def agreement_detail(user: Any, pk: int) -> Agreement:
    return _joined(visible_agreements(user)).get(pk=pk)


def agreement_list_of_institution(user: Any, institution: Any) -> QuerySet[Agreement]:
    return agreement_list(user, AgreementFilter(partner=institution.pk))


def network_graph(user: Any, flt: AgreementFilter) -> dict[str, Any]:
    """Institutions as nodes and agreements as edges, for the network picture."""
    agreements = list(agreement_list(user, flt)[:2000])
    nodes: dict[int, dict[str, Any]] = {}
    edges = []
    for agreement in agreements:
        parties = list(agreement.parties.all())
        for party in parties:
            inst = party.institution
            nodes.setdefault(
                inst.pk,
                {
                    "id": inst.pk,
                    "label": inst.display_short,
                    "country": inst.country,
                    "kind": inst.kind,
                    "degree": 0,
                },
            )
            nodes[inst.pk]["degree"] += 1
        for i, first in enumerate(parties):
            for second in parties[i + 1 :]:
                edges.append(
                    {
                        "source": first.institution_id,
                        "target": second.institution_id,
                        "agreement": agreement.pk,
                        "status": agreement.status,
                        "status_label": str(agreement.get_status_display()),
                        "kind": agreement.kind,
                        "title": agreement.title,
                    }
                )
    return {"nodes": list(nodes.values()), "edges": edges}
