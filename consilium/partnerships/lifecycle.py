"""The agreement lifecycle, declared once: which status may follow which, and what each step
checks (``core/states.py``).

``services.agreement_transition`` calls ``MACHINE.check(current, target, agreement=...,
data=...)`` and records who and when; ``services.agreement_renew`` performs the renewal, which
opens a successor. A guard raises ``ValidationError`` when the step may not happen now, and may
fill in what the step records (the date of signing, the start date).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from consilium.core.states import StateMachine, Transition
from consilium.partnerships.approvals import missing_approvals
from consilium.partnerships.choices import AgreementStatus as S
from consilium.partnerships.models import Agreement


def _every_party_approved(*, agreement: Agreement, data: dict[str, Any]) -> None:
    """Signing needs every party's approval of the current version and the date of signing."""
    missing = missing_approvals(agreement)
    if missing:
        raise ValidationError(
            _("Every party must approve the same version before signing; waiting for: %(names)s.")
            % {"names": ", ".join(str(p.institution) for p in missing)}
        )
    signed_on = data.get("signed_on")
    if not signed_on:
        raise ValidationError({"signed_on": [_("Give the date of signing.")]})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": [_("The date of signing cannot be in the future.")]})
    agreement.signed_on = signed_on


def _starts(*, agreement: Agreement, data: dict[str, Any]) -> None:
    """An agreement in force without a start date starts when it was signed (or today)."""
    if not agreement.valid_from:
        agreement.valid_from = agreement.signed_on or timezone.localdate()


def _end_date_passed(*, agreement: Agreement, data: dict[str, Any]) -> None:
    if not agreement.valid_until or agreement.valid_until >= timezone.localdate():
        raise ValidationError(_("An agreement expires only after its end date."))


def _reason_given(*, agreement: Agreement, data: dict[str, Any]) -> None:
    if not (data.get("note") or "").strip():
        raise ValidationError({"note": [_("Say why the agreement is terminated.")]})


def _through_renew(*, agreement: Agreement, data: dict[str, Any]) -> None:
    """A renewal opens the successor agreement: only ``agreement_renew`` performs it."""
    raise ValidationError(_("Use “Renew” to create the renewed agreement."))


def _refused(current: str, target: str) -> str:
    labels = dict(S.choices)
    return _("An agreement that is %(current)s cannot become %(target)s.") % {
        "current": labels.get(current, current),
        "target": labels.get(target, target),
    }


MACHINE = StateMachine(
    [
        Transition(S.PROPOSED, S.NEGOTIATING, label="open negotiation"),
        Transition(S.PROPOSED, S.TERMINATED, guard=_reason_given, label="terminate"),
        Transition(S.NEGOTIATING, S.SIGNED, guard=_every_party_approved, label="sign"),
        Transition(S.NEGOTIATING, S.TERMINATED, guard=_reason_given, label="terminate"),
        Transition(S.SIGNED, S.ACTIVE, guard=_starts, label="start"),
        Transition(S.SIGNED, S.TERMINATED, guard=_reason_given, label="terminate"),
        Transition(S.ACTIVE, S.EXPIRED, guard=_end_date_passed, label="expire"),
        Transition(S.ACTIVE, S.TERMINATED, guard=_reason_given, label="terminate"),
        Transition(S.ACTIVE, S.RENEWED, guard=_through_renew, label="renew"),
        Transition(S.EXPIRED, S.RENEWED, guard=_through_renew, label="renew"),
    ],
    refused=_refused,
)

# Which status may follow which (terminated and renewed are final).
TRANSITIONS = MACHINE.table

# Statuses in which the parties may still edit the text (a draft).
DRAFT = frozenset({S.PROPOSED, S.NEGOTIATING})
# Statuses that count as "in force" for reminders and the network picture.
IN_FORCE = frozenset({S.SIGNED, S.ACTIVE})


def allowed(current: str) -> tuple[str, ...]:
    return MACHINE.allowed(current)
