"""Reads of certificates, scoped to what the reader may see (``policy.visible_certificates``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from consilium.certificates.models import Certificate, CertificateStatus
from consilium.certificates.policy import visible_certificates
from consilium.institutions.models import Institution


def certificate_counts_per_course_year(course_id: int, year: int) -> int:
    """Certificates of a course issued in ``year``; a reissue is not counted twice (only the
    certificates that are not superseded count: a revoked one still counts as issued)."""
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    return (
        Certificate.objects.filter(course_id=course_id, issued_at__gte=start, issued_at__lt=end)
        .filter(~Q(status=CertificateStatus.SUPERSEDED))
        .count()
    )


def certificate_list_of_learner(user: Any) -> QuerySet[Certificate]:
    """The holder's own certificates, newest first (superseded ones included, marked)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return (
        visible_certificates(user)
        .filter(learner_id=user.pk)
        .select_related("course", "superseded_by")
    )


def certificate_list_of_institution(
    user: Any,
    institution: Institution,
    *,
    course_id: int | None = None,
    status: str = "",
    year: int | None = None,
) -> QuerySet[Certificate]:
    """Certificates an institution issued or co-issued that ``user`` may see, with the list's
    filters applied."""
    rows = (
        visible_certificates(user)
        .filter(Q(issuer=institution) | Q(co_issuers=institution))
        .distinct()
    )
    if course_id:
        rows = rows.filter(course_id=course_id)
    if status:
        rows = rows.filter(status=status)
    if year:
        tz = timezone.get_current_timezone()
        rows = rows.filter(
            issued_at__gte=datetime(year, 1, 1, tzinfo=tz),
            issued_at__lt=datetime(year + 1, 1, 1, tzinfo=tz),
        )
    return rows.select_related("learner", "course")


def certificate_course_choices(user: Any, institution: Institution) -> list[tuple[int, str]]:
    """(course id, title at issue) of the courses the institution has certificates of."""
    seen: dict[int, str] = {}
    rows = (
        certificate_list_of_institution(user, institution)
        .order_by("course_id")
        .values_list("course_id", "course_title")
    )
    for course_id, title in rows.distinct():
        seen.setdefault(course_id, title)
    return list(seen.items())
