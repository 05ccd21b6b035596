"""The course review lifecycle, declared once: which status may follow which
(``core/states.py``).

Each step is a service in services/reviewing.py (submit, approve, request changes, withdraw,
archive, restore), which calls ``MACHINE.check``; a major change to a published course sends
it back to review. The checks of a submission (a methodologist who is not an author, a lesson
in the original language) stay in ``review_submit``: they come before the status is looked at.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from consilium.core.states import StateMachine, Transition
from consilium.courses.models import CourseStatus as S


def _refused(current: str, target: str) -> str:
    return _("A course that is %(status)s cannot become %(new)s.") % {
        "status": S(current).label.lower(),
        "new": S(target).label.lower(),
    }


MACHINE = StateMachine(
    [
        Transition(S.DRAFT, S.IN_REVIEW, label="submit"),
        Transition(S.DRAFT, S.ARCHIVED, label="archive"),
        Transition(S.IN_REVIEW, S.PUBLISHED, label="approve"),
        Transition(S.IN_REVIEW, S.CHANGES_REQUESTED, label="request changes"),
        Transition(S.IN_REVIEW, S.DRAFT, label="withdraw"),
        Transition(S.CHANGES_REQUESTED, S.IN_REVIEW, label="submit again"),
        Transition(S.CHANGES_REQUESTED, S.ARCHIVED, label="archive"),
        Transition(S.PUBLISHED, S.IN_REVIEW, label="major change"),
        Transition(S.PUBLISHED, S.ARCHIVED, label="archive"),
        Transition(S.ARCHIVED, S.DRAFT, label="restore"),
    ],
    refused=_refused,
)

# Which status may follow which.
TRANSITIONS = MACHINE.table

# Statuses in which authors may change the course freely (nobody is reviewing it).
EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.PUBLISHED})
# Statuses in which enrolled learners may go on learning: published once and not archived.
OPEN_TO_LEARNERS = frozenset({S.PUBLISHED, S.IN_REVIEW, S.CHANGES_REQUESTED})


def allowed(current: str) -> tuple[str, ...]:
    return MACHINE.allowed(current)
