"""State machines declared once: the transition table with each step's guard beside it.

An app lists its steps::

    MACHINE = StateMachine(
        [
            Transition(S.PROPOSED, S.NEGOTIATING, label="open negotiation"),
            Transition(S.NEGOTIATING, S.SIGNED, guard=_every_party_approved, label="sign"),
            ...
        ],
        refused=_refused,
    )

and its services call ``MACHINE.check(current, target, **context)``: a step that is not in the
table is refused with ``refused(current, target)`` (a translated message, as a
``ValidationError``); otherwise the step's guard, if any, is called with ``**context`` and
raises ``ValidationError`` when the step may not happen now (a missing approval, a date not yet
reached). A guard may also fill in what the step records (the date of signing). Views and the
API ask ``MACHINE.allowed(current)`` which steps to offer.

Statuses are plain strings (a ``TextChoices`` member is one), so the table reads like the
model's choices and nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ValidationError

Guard = Callable[..., None]


@dataclass(frozen=True)
class Transition:
    """One allowed step from ``source`` to ``target``, with the check it needs, if any."""

    source: str
    target: str
    guard: Guard | None = None
    label: str = ""  # What the step is called ("sign", "approve"), for readers of the table.


class StateMachine:
    """The allowed steps between statuses and their guards (see the module docstring)."""

    def __init__(
        self, transitions: Iterable[Transition], *, refused: Callable[[str, str], str]
    ) -> None:
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.refused = refused
        steps: dict[tuple[str, str], Transition] = {}
        table: dict[str, list[str]] = {}
        for step in self.transitions:
            key = (str(step.source), str(step.target))
            if key in steps:
                raise ValueError(f"The step {key[0]} → {key[1]} is declared twice.")
            steps[key] = step
            table.setdefault(key[0], []).append(step.target)
            table.setdefault(key[1], [])
        self._steps = steps
        self._table = {source: tuple(targets) for source, targets in table.items()}

    @property
    def table(self) -> Mapping[str, tuple[str, ...]]:
        """Each status with the statuses that may follow it, in the order declared."""
        return MappingProxyType(self._table)

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self._table)

    def allowed(self, source: str) -> tuple[str, ...]:
        """The statuses that may follow ``source`` (none for an unknown status)."""
        return self._table.get(str(source), ())

    def can(self, source: str, target: str) -> bool:
        """Whether the table has the step (its guard is not asked)."""
        return (str(source), str(target)) in self._steps

    def step(self, source: str, target: str) -> Transition | None:
        return self._steps.get((str(source), str(target)))

    def check(self, source: str, target: str, **context: Any) -> Transition:
        """Refuse a step not in the table, then run its guard with ``context``.

        Raises ``ValidationError`` with ``refused(source, target)`` or the guard's error;
        returns the step.
        """
        step = self.step(source, target)
        if step is None:
            raise ValidationError(self.refused(source, target))
        if step.guard is not None:
            step.guard(**context)
        return step
