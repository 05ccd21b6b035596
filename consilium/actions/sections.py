"""The institution page shows the institution's open actions to those who may read them."""

from typing import Any

from django.http import HttpRequest

from consilium.core import access
from consilium.core.sections import InstitutionSection, register_institution_section


def _context(request: HttpRequest, institution: Any) -> dict[str, Any] | None:
    from consilium.actions import selectors
    from consilium.actions.choices import OPEN_STATUSES
    from consilium.actions.policy import Perm

    if not access.can(request.user, Perm.ACTION_INSTITUTION, institution):
        return None
    rows = selectors.action_of_institution(request.user, institution).filter(
        status__in=OPEN_STATUSES
    )
    return {"actions": rows[:20]}


register_institution_section(
    InstitutionSection(
        key="actions", template="actions/_institution_section.html", context=_context, order=15
    )
)
