"""The institution page shows its courses: the catalog count for everyone, this year's totals
for those who may see the institution's statistics."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from consilium.core.sections import InstitutionSection, register_institution_section
from consilium.courses.policy import Perm


def _context(request: HttpRequest, institution: Any) -> dict[str, Any] | None:
    from consilium.core.access import can
    from consilium.courses.selectors import stats

    may_see_stats = can(request.user, Perm.STATS_INSTITUTION, institution)
    year = timezone.localdate().year
    return {
        "published": stats.course_published_count(institution),
        "may_see_stats": may_see_stats,
        "may_see_network": may_see_stats and can(request.user, Perm.STATS_NETWORK),
        "totals": stats.institution_year(institution.pk, year) if may_see_stats else None,
        "year": year,
    }


register_institution_section(
    InstitutionSection(
        key="courses",
        template="courses/statistics/_institution_section.html",
        context=_context,
        order=20,
    )
)
