"""The course review lifecycle, declared once: which status may follow which.

Each step is a service in services/reviewing.py (submit, approve, request changes, withdraw,
archive); a major change to a published course sends it back to review.
"""

from consilium.courses.models import CourseStatus as S

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.IN_REVIEW, S.ARCHIVED),
    S.IN_REVIEW: (S.PUBLISHED, S.CHANGES_REQUESTED, S.DRAFT),
    S.CHANGES_REQUESTED: (S.IN_REVIEW, S.ARCHIVED),
    S.PUBLISHED: (S.IN_REVIEW, S.ARCHIVED),
    S.ARCHIVED: (S.DRAFT,),
}

# Statuses in which authors may change the course freely (nobody is reviewing it).
EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.PUBLISHED})
# Statuses in which enrolled learners may go on learning: published once and not archived.
OPEN_TO_LEARNERS = frozenset({S.PUBLISHED, S.IN_REVIEW, S.CHANGES_REQUESTED})


def allowed(current: str) -> tuple[str, ...]:
    return TRANSITIONS.get(current, ())
