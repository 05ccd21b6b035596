"""The certificates section of an institution's page: its published key, and for its staff
the number of certificates with a link to their list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from consilium.certificates import keys
from consilium.certificates.models import SigningKey
from consilium.certificates.policy import Perm
from consilium.certificates.selectors import certificate_list_of_institution
from consilium.core import access
from consilium.core.sections import InstitutionSection, register_institution_section


def _context(request: HttpRequest, institution: Any) -> dict[str, Any] | None:
    can_list = access.can(request.user, Perm.CERTIFICATE_LIST, institution)
    has_key = SigningKey.objects.filter(institution_id=institution.pk).exists()
    if not can_list and not has_key:
        return None
    return {
        "can_list": can_list,
        "count": certificate_list_of_institution(request.user, institution).count()
        if can_list
        else None,
        "did": keys.did_for(institution.pk) if has_key else "",
    }


register_institution_section(
    InstitutionSection(
        key="certificates",
        template="certificates/_institution_section.html",
        context=_context,
        order=40,
    )
)
