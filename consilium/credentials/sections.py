"""The certificates section of an institution's page: its published key, and for its staff
the number of certificates with a link to their list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from consilium.core import access
from consilium.core.sections import InstitutionSection, register_institution_section
from consilium.credentials import keys
from consilium.credentials.models import SigningKey
from consilium.credentials.policy import Perm
from consilium.credentials.selectors import institution_certificates


def _context(request: HttpRequest, institution: Any) -> dict[str, Any] | None:
    can_list = access.can(request.user, Perm.CERTIFICATE_LIST, institution)
    has_key = SigningKey.objects.filter(institution_id=institution.pk).exists()
    if not can_list and not has_key:
        return None
    return {
        "can_list": can_list,
        "count": institution_certificates(request.user, institution).count() if can_list else None,
        "did": keys.did_for(institution.pk) if has_key else "",
    }


register_institution_section(
    InstitutionSection(
        key="certificates",
        template="credentials/_institution_section.html",
        context=_context,
        order=40,
    )
)
