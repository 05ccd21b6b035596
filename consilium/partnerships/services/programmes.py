"""Programmes and what frames their agreements: phases, priority areas, funders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.core.services import service
from consilium.institutions.models import Institution
from consilium.partnerships.models import Phase, PriorityArea, Programme, ProgrammeFunder
from consilium.partnerships.services.common import CONTENT, set_translations


def _check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The end cannot come before the start.")]})


def _require_english(obj: Any, base: str) -> None:
    if not (getattr(obj, f"{base}_en", "") or "").strip():
        raise ValidationError({f"{base}_en": [_("Give the title in English.")]})


@service(bumps=[CONTENT])
def programme_create(
    *,
    owner: Institution,
    titles: dict[str, str],
    starts_on: date,
    ends_on: date | None = None,
    descriptions: dict[str, str] | None = None,
    funding_frame: str = "",
    by: User | None = None,
) -> Programme:
    _check_period(starts_on, ends_on)
    programme = Programme(
        owner=owner,
        starts_on=starts_on,
        ends_on=ends_on,
        funding_frame=funding_frame.strip(),
        created_by=by,
    )
    set_translations(programme, "title", titles)
    set_translations(programme, "description", descriptions or {})
    _require_english(programme, "title")
    programme.full_clean()
    programme.save()
    return programme


@service(bumps=[CONTENT])
def programme_update(
    *, programme: Programme, data: dict[str, Any], by: User | None = None
) -> Programme:
    for key in ("starts_on", "ends_on", "funding_frame", "owner"):
        if key in data:
            setattr(programme, key, data[key])
    _check_period(programme.starts_on, programme.ends_on)
    set_translations(programme, "title", data.get("titles") or {})
    set_translations(programme, "description", data.get("descriptions") or {})
    _require_english(programme, "title")
    programme.full_clean()
    programme.save()
    return programme


@service(bumps=[CONTENT])
def phase_add(
    *,
    programme: Programme,
    number: int,
    titles: dict[str, str],
    starts_on: date,
    ends_on: date,
    descriptions: dict[str, str] | None = None,
) -> Phase:
    _check_period(starts_on, ends_on)
    if programme.phases.filter(number=number).exists():
        raise ValidationError(
            {"number": [_("This programme already has a phase %(number)s.") % {"number": number}]}
        )
    phase = Phase(programme=programme, number=number, starts_on=starts_on, ends_on=ends_on)
    set_translations(phase, "title", titles)
    set_translations(phase, "description", descriptions or {})
    if not getattr(phase, "title_en", ""):
        raise ValidationError({"title_en": [_("Give the title in English.")]})
    phase.full_clean()
    phase.save()
    return phase


@service(bumps=[CONTENT])
def priority_area_add(*, programme: Programme, names: dict[str, str]) -> PriorityArea:
    area = PriorityArea(programme=programme)
    set_translations(area, "name", names)
    if not getattr(area, "name_en", ""):
        raise ValidationError({"name_en": [_("Give the name in English.")]})
    area.full_clean()
    area.save()
    return area


@service(bumps=[CONTENT])
def funder_add(
    *, programme: Programme, source: str, amount: Decimal | None = None, currency: str = ""
) -> ProgrammeFunder:
    if amount is not None and amount < 0:
        raise ValidationError({"amount": [_("The amount must be zero or more.")]})
    funder = ProgrammeFunder(
        programme=programme, source=source.strip(), amount=amount, currency=currency.upper()
    )
    funder.full_clean()
    funder.save()
    return funder
