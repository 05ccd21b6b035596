"""What the course bank announces to the apps built on it.

The course bank depends on no app that builds on it (certificates among them): it announces,
and they listen, connecting their receivers in their ``AppConfig.ready``. ``certificates``
issues a certificate on ``course_completed`` and answers ``count_certificates``
(``certificates/receivers.py``). See docs/architecture.md, "Dependencies between apps".
"""

from __future__ import annotations

from collections.abc import Iterable
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


# "My learning" asks where each completed enrolment's certificate is: every receiver answers
# with a dict of ``enrolment_id`` to the certificate's address, for those of
# ``enrolment_ids`` that have one (sender: ``courses.models.Enrolment``).
certificate_links = Signal()


def certificate_links_of(sender: Any, enrolment_ids: Iterable[int]) -> dict[int, str] | None:
    """Each enrolment's certificate address, as the receivers know them; None when no app
    issues certificates (then nothing is said about them), else a dict without the
    enrolments whose certificate is still to come."""
    ids = list(enrolment_ids)
    answers = certificate_links.send(sender=sender, enrolment_ids=ids)
    if not answers:
        return None
    links: dict[int, str] = {}
    for _receiver, answer in cast("list[tuple[Any, dict[int, str]]]", answers):
        links.update(answer)
    return links
