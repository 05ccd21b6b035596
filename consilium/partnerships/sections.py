"""The institution page lists the institution's agreements."""

from typing import Any

from django.http import HttpRequest

from consilium.core.sections import InstitutionSection, register_institution_section


def _context(request: HttpRequest, institution: Any) -> dict[str, Any] | None:
    from consilium.partnerships.selectors import agreement_list_of_institution

    if not request.user.is_authenticated:
        return None
    return {"agreements": agreement_list_of_institution(request.user, institution)[:50]}


register_institution_section(
    InstitutionSection(
        key="agreements",
        template="partnerships/_institution_section.html",
        context=_context,
        order=10,
    )
)
