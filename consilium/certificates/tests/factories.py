"""Completed enrolments for certificate tests (rows as the course services would leave them)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from consilium.accounts.testing import UserFactory
from consilium.courses.models import Course, Enrolment, EnrolmentStatus
from consilium.courses.testing import course as make_course


def completed(course: Course | None = None, learner: Any = None, language: str = "") -> Enrolment:
    """A completed enrolment of ``learner`` in ``course`` (new ones when not given)."""
    course = course or make_course(credits=2.5)
    variants = {v.language: v for v in course.variants.all()}
    variant = variants[language] if language else next(iter(variants.values()))
    now = timezone.now()
    return Enrolment.objects.create(
        run=course.runs.first(),
        course=course,
        learner=learner or UserFactory(full_name="Айгерім Сейтқалиқызы"),
        variant=variant,
        status=EnrolmentStatus.COMPLETED,
        enrolled_at=now,
        completed_at=now,
        progress=100,
    )
