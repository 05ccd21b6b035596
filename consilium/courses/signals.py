"""What the course bank announces to the apps built on it.

The course bank depends on no app that builds on it (certificates among them): it announces,
and they listen, connecting their receivers in their ``AppConfig.ready``. ``certificates``
issues a certificate on ``course_completed`` and answers ``count_certificates``
(``certificates/receivers.py``). See docs/architecture.md, "Dependencies between apps".
"""

from __future__ import annotations

from typing import Any, cast

from django.dispatch import Signal

# A learner completed a course: sent once per enrolment, after the completion commits, with
# ``enrolment_id`` (sender: ``courses.models.Enrolment``). Receivers queue their slow work.
course_completed = Signal()

# The statistics recompute a course's year: each receiver answers with a number of
# certificates of ``course_id`` issued in ``year`` (sender: ``courses.models.Course``). The
# totals add the answers up; with no receiver a course has no certificates.
count_certificates = Signal()


def certificates_per_course_year(sender: Any, course_id: int, year: int) -> int:
    """The certificates of ``course_id`` issued in ``year``, as the receivers count them."""
    answers = count_certificates.send(sender=sender, course_id=course_id, year=year)
    # (django-stubs types every answer as ``str | None``; these receivers answer with ints.)
    return sum(count for _receiver, count in cast("list[tuple[Any, int]]", answers))
