"""core/states.py: the transition table, its guards and the refusal message."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from consilium.core.states import StateMachine, Transition


def _refused(current: str, target: str) -> str:
    return f"{current} cannot become {target}"


def _needs_reason(*, data: dict[str, Any]) -> None:
    if not data.get("reason"):
        raise ValidationError({"reason": ["Say why."]})


MACHINE = StateMachine(
    [
        Transition("draft", "open", label="open"),
        Transition("draft", "closed", guard=_needs_reason, label="close"),
        Transition("open", "closed", guard=_needs_reason, label="close"),
    ],
    refused=_refused,
)


def test_the_table_keeps_the_declared_order_and_final_states() -> None:
    assert MACHINE.allowed("draft") == ("open", "closed")
    assert MACHINE.allowed("closed") == ()
    assert MACHINE.allowed("unknown") == ()
    assert dict(MACHINE.table) == {
        "draft": ("open", "closed"),
        "open": ("closed",),
        "closed": (),
    }
    assert MACHINE.states == ("draft", "open", "closed")
    assert MACHINE.can("open", "closed") and not MACHINE.can("closed", "open")


def test_a_step_not_in_the_table_is_refused_with_the_message() -> None:
    with pytest.raises(ValidationError) as refused:
        MACHINE.check("closed", "open")
    assert refused.value.messages == ["closed cannot become open"]


def test_the_guard_gets_the_context_and_may_refuse() -> None:
    with pytest.raises(ValidationError) as refused:
        MACHINE.check("open", "closed", data={})
    assert refused.value.message_dict == {"reason": ["Say why."]}
    step = MACHINE.check("open", "closed", data={"reason": "done"})
    assert (step.source, step.target, step.label) == ("open", "closed", "close")
    assert MACHINE.check("draft", "open").guard is None


def test_a_step_declared_twice_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        StateMachine([Transition("a", "b"), Transition("a", "b")], refused=_refused)


def test_the_agreement_and_course_tables_are_the_ones_the_apps_declared() -> None:
    from consilium.courses import review
    from consilium.partnerships import lifecycle

    assert dict(lifecycle.TRANSITIONS) == {
        "proposed": ("negotiating", "terminated"),
        "negotiating": ("signed", "terminated"),
        "signed": ("active", "terminated"),
        "active": ("expired", "terminated", "renewed"),
        "expired": ("renewed",),
        "terminated": (),
        "renewed": (),
    }
    assert dict(review.TRANSITIONS) == {
        "draft": ("in_review", "archived"),
        "in_review": ("published", "changes_requested", "draft"),
        "changes_requested": ("in_review", "archived"),
        "published": ("in_review", "archived"),
        "archived": ("draft",),
    }
    # Every state of the models is in its table.
    from consilium.courses.models import CourseStatus
    from consilium.partnerships.models import AgreementStatus

    assert set(lifecycle.MACHINE.states) == set(AgreementStatus.values)
    assert set(review.MACHINE.states) == set(CourseStatus.values)
