"""The action's status, declared once: open → in progress → done → verified, or dropped with a
reason (``core/states.py``).

``services.action_transition`` calls ``MACHINE.check(current, target, action=..., data=...)``.
A guard raises ``ValidationError`` when the step may not happen now and fills in what the step
records (the date it was done, the reason it was dropped).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from consilium.actions.choices import ActionStatus as S
from consilium.actions.choices import CheckResult
from consilium.actions.models import Action
from consilium.core.states import StateMachine, Transition


def _done(*, action: Action, data: dict[str, Any]) -> None:
    """Done needs evidence, and for a kind that is checked, the criterion it is judged by."""
    evidence = (data.get("evidence") or action.evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": [_("Give the evidence that it is done.")]})
    criterion = (data.get("check_criterion") or action.check_criterion or "").strip()
    if action.needs_check and not criterion:
        raise ValidationError(
            {
                "check_criterion": [
                    _("Say how its effectiveness will be judged before marking it done.")
                ]
            }
        )
    action.evidence = evidence
    action.check_criterion = criterion
    action.done_on = timezone.localdate()


def _verified(*, action: Action, data: dict[str, Any]) -> None:
    """Closing a kind that is checked needs an effective check (``services.action_judge``)."""
    if action.needs_check and action.check_result != CheckResult.EFFECTIVE:
        raise ValidationError(
            _(
                "A corrective or preventive action closes only after its effectiveness is "
                "checked: record the check first."
            )
        )


def _dropped(*, action: Action, data: dict[str, Any]) -> None:
    reason = (data.get("drop_reason") or "").strip()
    if not reason:
        raise ValidationError({"drop_reason": [_("Say why the action is dropped.")]})
    action.drop_reason = reason


def _reopened(*, action: Action, data: dict[str, Any]) -> None:
    action.done_on = None
    action.drop_reason = ""


def _refused(current: str, target: str) -> str:
    labels = dict(S.choices)
    return _("An action cannot go from “%(current)s” to “%(target)s”.") % {
        "current": labels.get(current, current),
        "target": labels.get(target, target),
    }


MACHINE = StateMachine(
    [
        Transition(S.OPEN, S.IN_PROGRESS, label="start"),
        Transition(S.OPEN, S.DONE, guard=_done, label="finish"),
        Transition(S.OPEN, S.DROPPED, guard=_dropped, label="drop"),
        Transition(S.IN_PROGRESS, S.OPEN, guard=_reopened, label="put back"),
        Transition(S.IN_PROGRESS, S.DONE, guard=_done, label="finish"),
        Transition(S.IN_PROGRESS, S.DROPPED, guard=_dropped, label="drop"),
        Transition(S.DONE, S.VERIFIED, guard=_verified, label="verify"),
        Transition(S.DONE, S.IN_PROGRESS, guard=_reopened, label="reopen"),
        Transition(S.DONE, S.OPEN, guard=_reopened, label="reopen"),
        Transition(S.DROPPED, S.OPEN, guard=_reopened, label="reopen"),
    ],
    refused=_refused,
)


def allowed(status: str) -> tuple[str, ...]:
    return MACHINE.allowed(status)
