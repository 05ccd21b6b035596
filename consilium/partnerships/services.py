"""Writes about programmes and agreements. Keyword-only, atomic, validated, recorded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.core import uploads
from consilium.core.services import read_only, service
from consilium.institutions.models import Institution
from consilium.partnerships import lifecycle
from consilium.partnerships.approvals import current_version as current_version
from consilium.partnerships.approvals import missing_approvals as missing_approvals
from consilium.partnerships.models import (
    Agreement,
    AgreementForm,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    Approval,
    CooperationForm,
    Document,
    DocumentKind,
    FundingLine,
    PartyRole,
    Phase,
    PriorityArea,
    Programme,
    ProgrammeFunder,
    Recommendation,
    RecommendationStatus,
    SituationAnalysis,
    Transition,
    WorkItem,
    WorkKind,
)
from consilium.partnerships.policy import Perm

LANGS = [code for code, _label in settings.LANGUAGES]

# The ContentVersion of everything here: cached pages that show agreements or programmes
# (the signed-in agreements list, core/person_cache.py) carry it in their key.
CONTENT = "partnerships"


class ConflictError(Exception):
    """Someone else saved the draft since it was opened; nothing was written."""


# --- programmes --------------------------------------------------------------------------


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
    _set_translations(programme, "title", titles)
    _set_translations(programme, "description", descriptions or {})
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
    _set_translations(programme, "title", data.get("titles") or {})
    _set_translations(programme, "description", data.get("descriptions") or {})
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
    _set_translations(phase, "title", titles)
    _set_translations(phase, "description", descriptions or {})
    if not getattr(phase, "title_en", ""):
        raise ValidationError({"title_en": [_("Give the title in English.")]})
    phase.full_clean()
    phase.save()
    return phase


@service(bumps=[CONTENT])
def priority_area_add(*, programme: Programme, names: dict[str, str]) -> PriorityArea:
    area = PriorityArea(programme=programme)
    _set_translations(area, "name", names)
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


# --- agreements: content, versions, hash -------------------------------------------------


@dataclass
class PartyData:
    institution: Institution
    role: str
    signatory: str = ""
    signatory_title: str = ""
    contact_name: str = ""
    contact_email: str = ""


@dataclass
class FundingData:
    source: str
    amount: Decimal | str
    currency: str
    period_start: date | None = None
    period_end: date | None = None


def _check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The end cannot come before the start.")]})


def _set_translations(obj: Any, base: str, values: dict[str, str]) -> None:
    for lang, value in values.items():
        if lang in LANGS:
            setattr(obj, f"{base}_{lang}", (value or "").strip())


def _require_english(obj: Any, base: str) -> None:
    if not (getattr(obj, f"{base}_en", "") or "").strip():
        raise ValidationError({f"{base}_en": [_("Give the title in English.")]})


@read_only
def content_of(agreement: Agreement) -> dict[str, Any]:
    """The negotiable content of an agreement as plain JSON, in a stable order."""
    return {
        "kind": agreement.kind,
        "title": {lang: getattr(agreement, f"title_{lang}", "") or "" for lang in LANGS},
        "number": agreement.number,
        "programme": agreement.programme_id,
        "phase": agreement.phase_id,
        "summary": agreement.summary,
        "valid_from": agreement.valid_from.isoformat() if agreement.valid_from else None,
        "valid_until": agreement.valid_until.isoformat() if agreement.valid_until else None,
        "is_public": agreement.is_public,
        "forms": sorted(agreement.forms.values_list("form", flat=True)),
        "parties": [
            {
                "institution": p.institution_id,
                "role": p.role,
                "signatory": p.signatory,
                "signatory_title": p.signatory_title,
                "contact_name": p.contact_name,
                "contact_email": p.contact_email,
            }
            for p in agreement.parties.order_by("order", "id")
        ],
        "funding": [
            {
                "source": f.source,
                "amount": str(f.amount),
                "currency": f.currency,
                "period_start": f.period_start.isoformat() if f.period_start else None,
                "period_end": f.period_end.isoformat() if f.period_end else None,
            }
            for f in agreement.funding_lines.order_by("id")
        ],
    }


CONTENT_ORDER = (
    "kind",
    "title",
    "number",
    "programme",
    "phase",
    "summary",
    "valid_from",
    "valid_until",
    "is_public",
    "forms",
    "parties",
    "funding",
)


@read_only
def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _validate(
    *,
    kind: str,
    titles: dict[str, str],
    parties: list[PartyData],
    forms: list[str],
    programme: Programme | None,
    phase: Phase | None,
    valid_from: date | None,
    valid_until: date | None,
    funding: list[FundingData],
) -> list[FundingData]:
    errors: dict[str, list[str]] = {}
    if kind not in AgreementKind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if not (titles.get("en") or "").strip():
        errors["title_en"] = [_("Give the title in English.")]
    if len(parties) < 2:
        errors["parties"] = [_("An agreement needs at least two parties.")]
    ids = [p.institution.pk for p in parties]
    if len(set(ids)) != len(ids):
        errors.setdefault("parties", []).append(_("The same institution cannot be a party twice."))
    for party in parties:
        if party.role not in PartyRole.values:
            errors.setdefault("parties", []).append(_("Choose a role for every party."))
            break
    bad_forms = [f for f in forms if f not in CooperationForm.values]
    if bad_forms:
        errors["forms"] = [
            _("Unknown form of cooperation: %(forms)s.") % {"forms": ", ".join(bad_forms)}
        ]
    if phase is not None and (programme is None or phase.programme_id != programme.pk):
        errors["phase"] = [_("The phase must belong to the agreement's programme.")]
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = [_("The end cannot come before the start.")]
    clean_funding: list[FundingData] = []
    for number, line in enumerate(funding, start=1):
        try:
            amount = Decimal(str(line.amount).replace(" ", "").replace(",", "."))
        except (InvalidOperation, ValueError):
            errors.setdefault("funding", []).append(
                _("Funding line %(n)s: the amount is not a number.") % {"n": number}
            )
            continue
        if amount < 0 or not amount.is_finite() or amount >= Decimal("1e14"):
            errors.setdefault("funding", []).append(
                _("Funding line %(n)s: the amount must be zero or more.") % {"n": number}
            )
            continue
        if not line.source.strip() or len((line.currency or "").strip()) != 3:
            errors.setdefault("funding", []).append(
                _("Funding line %(n)s: give a source and a three-letter currency code.")
                % {"n": number}
            )
            continue
        if line.period_start and line.period_end and line.period_end < line.period_start:
            errors.setdefault("funding", []).append(
                _("Funding line %(n)s: the end cannot come before the start.") % {"n": number}
            )
            continue
        clean_funding.append(
            FundingData(
                line.source.strip(),
                amount,
                line.currency.strip().upper(),
                line.period_start,
                line.period_end,
            )
        )
    if errors:
        raise ValidationError(errors)
    return clean_funding


def _write_content(
    agreement: Agreement,
    *,
    parties: list[PartyData],
    forms: list[str],
    funding: list[FundingData],
) -> None:
    # Parties are updated in place, matched by institution, so that their ids (and the
    # approvals of earlier versions that point at them) survive an edit.
    existing = {p.institution_id: p for p in agreement.parties.all()}
    keep = {party.institution.pk for party in parties}
    agreement.parties.exclude(institution_id__in=keep).delete()
    for order, party in enumerate(parties):
        row = existing.get(party.institution.pk) or AgreementParty(
            agreement=agreement, institution=party.institution
        )
        row.role = party.role
        row.signatory = party.signatory.strip()
        row.signatory_title = party.signatory_title.strip()
        row.contact_name = party.contact_name.strip()
        row.contact_email = party.contact_email.strip()
        row.order = order
        row.full_clean(exclude=["agreement"], validate_unique=False)
        row.save()
    agreement.forms.all().delete()
    AgreementForm.objects.bulk_create(
        [AgreementForm(agreement=agreement, form=form) for form in sorted(set(forms))]
    )
    agreement.funding_lines.all().delete()
    for line in funding:
        funding_line = FundingLine(
            agreement=agreement,
            source=line.source,
            amount=line.amount,
            currency=line.currency,
            period_start=line.period_start,
            period_end=line.period_end,
        )
        funding_line.full_clean(exclude=["agreement"])
        funding_line.save()


def _snapshot(agreement: Agreement, by: User | None) -> AgreementVersion:
    content = content_of(agreement)
    digest = content_hash(content)
    latest = agreement.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    return AgreementVersion.objects.create(
        agreement=agreement,
        number=(latest.number + 1) if latest else 1,
        content=content,
        content_hash=digest,
        created_by=by,
    )


@read_only
def check_proposer(user: Any, parties: list[PartyData]) -> None:
    """Refuse an agreement that the proposer's institution is not a party to."""
    from consilium.core import access

    if user is not None and not access.can(
        user, Perm.AGREEMENT_PROPOSE, [party.institution.pk for party in parties]
    ):
        raise ValidationError({"parties": [_("Your institution must be one of the parties.")]})


def _save_draft(
    agreement: Agreement,
    *,
    by: User | None,
    kind: str,
    titles: dict[str, str],
    parties: list[PartyData],
    forms: list[str],
    number: str,
    programme: Programme | None,
    phase: Phase | None,
    summary: str,
    valid_from: date | None,
    valid_until: date | None,
    funding: list[FundingData],
    is_public: bool,
) -> Agreement:
    """Validate the content, write it onto ``agreement`` and freeze it as a version."""
    clean_funding = _validate(
        kind=kind,
        titles=titles,
        parties=parties,
        forms=forms,
        programme=programme,
        phase=phase,
        valid_from=valid_from,
        valid_until=valid_until,
        funding=funding,
    )
    agreement.kind = kind
    agreement.number = number.strip()
    agreement.programme = programme
    agreement.phase = phase
    agreement.summary = summary.strip()
    agreement.valid_from = valid_from
    agreement.valid_until = valid_until
    agreement.is_public = is_public
    _set_translations(agreement, "title", titles)
    agreement.full_clean()
    agreement.save()
    _write_content(agreement, parties=parties, forms=forms, funding=clean_funding)
    _snapshot(agreement, by)
    return agreement


@service(bumps=[CONTENT])
def agreement_create(
    *,
    kind: str,
    titles: dict[str, str],
    parties: list[PartyData],
    by: User | None,
    forms: list[str] | None = None,
    number: str = "",
    programme: Programme | None = None,
    phase: Phase | None = None,
    summary: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    funding: list[FundingData] | None = None,
    is_public: bool = True,
) -> Agreement:
    return _save_draft(
        Agreement(created_by=by),
        by=by,
        kind=kind,
        titles=titles,
        parties=parties,
        forms=forms or [],
        number=number,
        programme=programme,
        phase=phase,
        summary=summary,
        valid_from=valid_from,
        valid_until=valid_until,
        funding=funding or [],
        is_public=is_public,
    )


@service(bumps=[CONTENT])
def agreement_edit(
    *,
    agreement: Agreement,
    expected_revision: int,
    by: User | None,
    kind: str,
    titles: dict[str, str],
    parties: list[PartyData],
    forms: list[str],
    number: str = "",
    programme: Programme | None = None,
    phase: Phase | None = None,
    summary: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    funding: list[FundingData] | None = None,
    is_public: bool = True,
) -> Agreement:
    """Save a new draft version; refuses with ConflictError if someone saved in between."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.revision != expected_revision:
        raise ConflictError
    if locked.status not in lifecycle.DRAFT:
        raise ValidationError(
            _("Only a draft can be edited; this agreement is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    locked.revision += 1
    return _save_draft(
        locked,
        by=by,
        kind=kind,
        titles=titles,
        parties=parties,
        forms=forms,
        number=number,
        programme=programme,
        phase=phase,
        summary=summary,
        valid_from=valid_from,
        valid_until=valid_until,
        funding=funding or [],
        is_public=is_public,
    )


@service(bumps=[CONTENT])
def agreement_approve(
    *, agreement: Agreement, party: AgreementParty, by: User, version_number: int
) -> Approval:
    """A party approves the version it read; refused if a newer version exists."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status not in lifecycle.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    version = current_version(locked)
    if version is None or version.number != version_number:
        raise ValidationError(
            _("The draft changed since you opened it: read the new version before approving.")
        )
    if party.agreement_id != locked.pk:
        raise ValidationError(_("This party is not part of the agreement."))
    approval, _created = Approval.objects.get_or_create(
        version=version,
        party=party,
        defaults={"approved_by": by, "content_hash": version.content_hash},
    )
    return approval


# --- the lifecycle -----------------------------------------------------------------------


@service(bumps=[CONTENT])
def agreement_transition(
    *, agreement: Agreement, to: str, by: User | None, data: dict[str, Any] | None = None
) -> Agreement:
    data = data or {}
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    # The table refuses a step it lacks; the step's guard checks its rule (lifecycle.py).
    lifecycle.MACHINE.check(locked.status, to, agreement=locked, data=data)
    previous = locked.status
    locked.status = to
    locked.save()
    Transition.objects.create(
        agreement=locked,
        from_status=previous,
        to_status=to,
        by=by,
        note=(data.get("note") or "").strip(),
    )
    return locked


@service(bumps=[CONTENT])
def agreement_renew(
    *, agreement: Agreement, by: User | None, valid_from: date, valid_until: date | None
) -> Agreement:
    """Mark an active or expired agreement renewed and open its successor as a draft."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not lifecycle.MACHINE.can(locked.status, AgreementStatus.RENEWED):
        raise ValidationError(_("Only an active or expired agreement can be renewed."))
    content = content_of(locked)
    successor = agreement_create(
        kind=locked.kind,
        titles=content["title"],
        by=by,
        parties=[
            PartyData(
                institution=p.institution,
                role=p.role,
                signatory=p.signatory,
                signatory_title=p.signatory_title,
                contact_name=p.contact_name,
                contact_email=p.contact_email,
            )
            for p in locked.parties.select_related("institution")
        ],
        forms=content["forms"],
        number="",
        programme=locked.programme,
        phase=None,
        summary=locked.summary,
        valid_from=valid_from,
        valid_until=valid_until,
        is_public=locked.is_public,
    )
    successor.renewal_of = locked
    successor.save(update_fields=["renewal_of"])
    previous = locked.status
    locked.status = AgreementStatus.RENEWED
    locked.save()
    Transition.objects.create(
        agreement=locked, from_status=previous, to_status=AgreementStatus.RENEWED, by=by
    )
    return successor


# --- analysis, recommendations, goals and results ----------------------------------------


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


# --- documents ---------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = uploads.MAX_UPLOAD_BYTES


@service(bumps=[CONTENT])
def document_upload(
    *, agreement: Agreement, kind: str, title: str, upload: Any, by: User
) -> Document:
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    data, content_type, extension = uploads.read_checked(upload, limit=MAX_DOCUMENT_BYTES)
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Give the document a title.")]})
    # The agreement's row lock serialises uploads to it: locking the latest version alone let
    # two first versions (nothing to lock yet) or two next versions (both read the same
    # latest) race, and the loser answered 500 on the unique version number.
    Agreement.objects.select_for_update().only("pk").get(pk=agreement.pk)
    latest = (
        Document.objects.filter(agreement=agreement, kind=kind, title=title)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    document = Document(
        agreement=agreement,
        kind=kind,
        title=title,
        version=(latest or 0) + 1,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    document.file.save(
        f"agreement-{agreement.pk}-{document.sha256[:16]}{extension}", ContentFile(data), save=False
    )
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


# --- comparing versions ------------------------------------------------------------------


@read_only
def version_diff(older: dict[str, Any], newer: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field changes between two version contents: [{field, old, new}]."""
    changes: list[dict[str, Any]] = []
    # The order content_of writes, whatever order the database kept (PostgreSQL's jsonb
    # reorders keys); unknown keys of older versions come last.
    order = {key: n for n, key in enumerate(CONTENT_ORDER)}
    keys = sorted(
        dict.fromkeys([*older.keys(), *newer.keys()]), key=lambda k: (order.get(k, len(order)), k)
    )
    for key in keys:
        old, new = older.get(key), newer.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            for sub in dict.fromkeys([*old.keys(), *new.keys()]):
                if old.get(sub) != new.get(sub):
                    changes.append(
                        {"field": f"{key}.{sub}", "old": old.get(sub), "new": new.get(sub)}
                    )
        elif isinstance(old, list) and isinstance(new, list) and key in ("parties", "funding"):
            for index in range(max(len(old), len(new))):
                a = old[index] if index < len(old) else {}
                b = new[index] if index < len(new) else {}
                for sub in dict.fromkeys([*a.keys(), *b.keys()]):
                    if a.get(sub) != b.get(sub):
                        changes.append(
                            {
                                "field": f"{key}[{index + 1}].{sub}",
                                "old": a.get(sub),
                                "new": b.get(sub),
                            }
                        )
        elif old != new:
            changes.append({"field": key, "old": old, "new": new})
    return changes
