"""The demo certificates: one for every completed enrolment of the demo course bank.

Registered as the demo builder "certificates", which needs "courses": ``build`` reads the
courses the course bank's demo has just written from ``context.built["courses"]``
(``courses/demo.py`` returns them; none when the demo was built before, so this is idempotent
too). The course bank's history is written directly, not lived through, so no completion was
announced for it: its certificates are issued here, dated on completion, and the yearly
totals are rebuilt with them, as after any bulk load.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from consilium.certificates.services import certificate_issue
from consilium.core.demo import DemoContext
from consilium.courses.models import Course, Enrolment, EnrolmentStatus
from consilium.courses.services import stats


@transaction.atomic
def build(context: DemoContext) -> None:
    courses: Sequence[Course] = context.built["courses"]
    if not courses:
        return  # the course bank's demo was built before, and its certificates with it
    completed = Enrolment.objects.filter(course__in=courses, status=EnrolmentStatus.COMPLETED)
    for enrolment in completed:
        certificate_issue(enrolment=enrolment)
    stats.stats_rebuild_all()
