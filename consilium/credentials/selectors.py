"""Reads of certificates, scoped to what the reader may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from consilium.credentials.models import Certificate, CertificateStatus


def certificates_per_course_year(course_id: int, year: int) -> int:
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
