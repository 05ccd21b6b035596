"""Agreements as drafts: proposing, editing (each save a frozen version) and approving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.core.services import read_only, service
from consilium.institutions.models import Institution
from consilium.partnerships import lifecycle
from consilium.partnerships.approvals import current_version
from consilium.partnerships.choices import AgreementKind, CooperationForm, PartyRole
from consilium.partnerships.models import (
    Agreement,
    AgreementForm,
    AgreementParty,
    AgreementVersion,
    Approval,
    FundingLine,
    Phase,
    Programme,
)
from consilium.partnerships.policy import Perm
from consilium.partnerships.services.common import CONTENT, set_translations
from consilium.partnerships.services.versions import agreement_content, content_hash


class ConflictError(Exception):
    """Someone else saved the draft since it was opened; nothing was written."""


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
    content = agreement_content(agreement)
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
def agreement_check_proposer(user: Any, parties: list[PartyData]) -> None:
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
    set_translations(agreement, "title", titles)
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
