"""An agreement's life after the draft: moving it through the lifecycle table, renewing it.

The table and each step's guard are declared once, in ``partnerships/lifecycle.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.core.services import service
from consilium.partnerships.choices import AgreementStatus
from consilium.partnerships.lifecycle import MACHINE
from consilium.partnerships.models import Agreement, Transition
from consilium.partnerships.services.agreements import PartyData, agreement_create
from consilium.partnerships.services.common import CONTENT
from consilium.partnerships.services.versions import agreement_content


@service(bumps=[CONTENT])
def agreement_transition(
    *, agreement: Agreement, to: str, by: User | None, data: dict[str, Any] | None = None
) -> Agreement:
    data = data or {}
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    # The table refuses a step it lacks; the step's guard checks its rule (lifecycle.py).
    MACHINE.check(locked.status, to, agreement=locked, data=data)
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
    if not MACHINE.can(locked.status, AgreementStatus.RENEWED):
        raise ValidationError(_("Only an active or expired agreement can be renewed."))
    content = agreement_content(locked)
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
