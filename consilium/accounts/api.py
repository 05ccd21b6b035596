from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from consilium.core import access
from consilium.institutions.selectors import membership_list_of_user

router = Router(tags=["me"])


class RoleOut(Schema):
    institution_id: int
    institution: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    roles: list[RoleOut]


@router.get("", response=MeOut, summary="Who the token belongs to")
def me(request: HttpRequest) -> dict[str, Any]:
    access.require(request.user, access.Perm.SIGNED_IN)
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,  # type: ignore[union-attr]
        "full_name": user.full_name,  # type: ignore[union-attr]
        "language": user.language,  # type: ignore[union-attr]
        "roles": [
            {"institution_id": m.institution_id, "institution": str(m.institution), "role": m.role}
            for m in membership_list_of_user(user)
        ],
    }
