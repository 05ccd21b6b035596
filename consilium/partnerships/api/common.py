"""What the partnerships endpoints share: rows by id, institutions as references, and the
agreement an endpoint is about (404 when it does not exist, 403 when it is hidden)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from consilium.core import access
from consilium.institutions.models import Institution
from consilium.partnerships import selectors
from consilium.partnerships.api.schemas import MAX_ID
from consilium.partnerships.models import Agreement, AgreementParty
from consilium.partnerships.policy import Perm


def institution_ref(institution: Institution) -> dict[str, Any]:
    """An institution as ``schemas.InstitutionRef``."""
    return {
        "id": institution.pk,
        "name": institution.name,
        "short_name": institution.display_short,
        "country": institution.country,
        "kind": institution.kind,
    }


def row_by_id(model: type[Model], pk: int | None, field: str, **scope: Any) -> Any:
    """The row with this id (within ``scope``), or a 400 on ``field`` if there is none."""
    if pk is None:
        return None
    row = model._default_manager.filter(pk=pk, **scope).first() if 0 < pk <= MAX_ID else None
    if row is None:
        raise ValidationError({field: [_("This value is not valid.")]})
    return row


def fetch_agreement(user: Any, pk: int) -> Agreement:
    """The agreement with its parties, whether or not this person may see it (or 404)."""
    try:
        return selectors.agreement_detail(user, pk)
    except Agreement.DoesNotExist:
        # As on the pages (views.common.load_agreement): one that exists but is hidden from
        # this person answers 403 once the permission is checked; only a missing one, 404.
        agreement = (
            Agreement.objects.filter(pk=pk)
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=AgreementParty.objects.select_related("institution").order_by(
                        "order", "id"
                    ),
                ),
                "forms",
            )
            .first()
        )
        if agreement is None:
            raise Http404 from None
        return agreement


def require_agreement(request: HttpRequest, pk: int, perm: Perm = Perm.AGREEMENT_VIEW) -> Agreement:
    """The agreement an endpoint is about, once this person may ``perm`` it (404, else 403)."""
    agreement = fetch_agreement(request.user, pk)
    access.require(request.user, perm, agreement)
    return agreement
