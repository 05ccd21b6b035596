"""The course bank's panels on the personal home (``core/home.py``): the courses a learner
is taking, with the next lesson of each, and the reviews waiting for a methodologist."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from consilium.accounts.http import signed_in_user
from consilium.core.home import HomePanel, register_home_panel
from consilium.courses import policy
from consilium.courses.models import EnrolmentStatus
from consilium.courses.selectors import authoring, learning

SHOWN = 5  # rows per panel; the panel links to the whole list


def continue_learning(request: HttpRequest) -> dict[str, Any] | None:
    """The person's courses in progress, the latest first, each with its next lesson."""
    active = learning.enrolment_list_of_person(request.user).filter(status=EnrolmentStatus.ACTIVE)
    rows = list(active[: SHOWN + 1])
    if not rows:
        return None
    following = learning.lesson_next_per_enrolment(rows[:SHOWN])
    for enrolment in rows:
        enrolment.next_lesson = following.get(enrolment.pk)  # type: ignore[attr-defined]
    return {"enrolments": rows[:SHOWN], "more": len(rows) > SHOWN}


def courses_to_review(request: HttpRequest) -> dict[str, Any] | None:
    """The reviews assigned to this methodologist that wait for a verdict, oldest first."""
    rows = list(authoring.review_queue(signed_in_user(request), pending_only=True)[: SHOWN + 1])
    if not rows:
        return None
    for review in rows:
        review.title = authoring.variant_title(  # type: ignore[attr-defined]
            review.course, getattr(request, "LANGUAGE_CODE", None)
        )
    return {"reviews": rows[:SHOWN], "more": len(rows) > SHOWN}


def register() -> None:
    register_home_panel(
        HomePanel(
            "courses_to_review",
            "courses/home/to_review.html",
            courses_to_review,
            policy.Perm.COURSE_REVIEW_QUEUE,
            order=20,
        )
    )
    register_home_panel(
        HomePanel(
            "continue_learning", "courses/home/continue_learning.html", continue_learning, order=60
        )
    )
