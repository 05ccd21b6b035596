from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from consilium.accounts.http import signed_in_user
from consilium.core import access, public_cache
from consilium.core.api import Page, Paging, Texts, page, public, texts
from consilium.institutions import selectors, services
from consilium.institutions.models import Institution
from consilium.institutions.policy import Perm

router = Router(tags=["institutions"])


class InstitutionOut(Schema):
    id: int
    kind: str
    country: str
    name: Texts
    short_name: Texts
    city: Texts
    website: str
    parent_id: int | None
    aliases: list[str]

    @staticmethod
    def resolve_name(obj: Institution) -> dict[str, str]:
        return texts(obj, "name")

    @staticmethod
    def resolve_short_name(obj: Institution) -> dict[str, str]:
        return texts(obj, "short_name")

    @staticmethod
    def resolve_city(obj: Institution) -> dict[str, str]:
        return texts(obj, "city")

    @staticmethod
    def resolve_aliases(obj: Institution) -> list[str]:
        return [line for line in (obj.aliases or "").splitlines() if line.strip()]


class InstitutionIn(Schema):
    kind: str
    country: str = Field(..., max_length=2)
    name: Texts
    short_name: Texts = Texts()
    city: Texts = Texts()
    website: str = ""
    parent_id: int | None = None
    aliases: list[str] = []


class InstitutionPatch(Schema):
    kind: str | None = None
    country: str | None = Field(None, max_length=2)
    name: Texts | None = None
    short_name: Texts | None = None
    city: Texts | None = None
    website: str | None = None
    parent_id: int | None = None
    aliases: list[str] | None = None


class DirectoryQuery(Paging):
    q: str = ""
    kind: str = ""
    country: str = ""
    parent: int | None = None


class MemberOut(Schema):
    id: int
    user_id: int
    full_name: str = Field(..., alias="user.full_name")
    email: str = Field(..., alias="user.email")
    role: str
    title: str


def _data(payload: Schema, partial: bool) -> dict[str, Any]:
    raw = payload.dict(exclude_unset=partial)
    data: dict[str, Any] = {}
    for base in ("name", "short_name", "city"):
        if raw.get(base) is not None:
            for lang, value in raw[base].items():
                if not partial or lang in getattr(payload, base).model_fields_set:
                    data[f"{base}_{lang}"] = value
    for key in ("kind", "country", "website"):
        if raw.get(key) is not None:
            data[key] = raw[key].upper() if key == "country" else raw[key]
    if raw.get("aliases") is not None:
        data["aliases"] = "\n".join(raw["aliases"])
    if "parent_id" in raw:
        parent_id = raw["parent_id"]
        if parent_id is None:
            data["parent"] = None
        else:
            parent = Institution.objects.filter(pk=parent_id).first()
            if parent is None:
                raise ValidationError({"parent_id": [_("No institution has this id.")]})
            data["parent"] = parent
    return data


@router.get("", response=Page[InstitutionOut], summary="List and search the directory")
@public
def list_institutions(request: HttpRequest, params: Query[DirectoryQuery]) -> HttpResponse:
    access.require(request.user, Perm.DIRECTORY_VIEW)

    def build() -> bytes:
        # The directory is public: the answer is the same for everyone, so it is cached
        # until the next write (see core/public_cache.py).
        flt = selectors.DirectoryFilter.from_params(params.dict())
        qs = selectors.institution_list(request.user, flt)
        answer = Page[InstitutionOut].model_validate(page(qs, params))
        return answer.model_dump_json().encode()

    body = public_cache.cached_json("directory", request, build)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get("/{int:pk}", response=InstitutionOut, summary="One institution")
@public
def get_institution(request: HttpRequest, pk: int) -> Institution:
    access.require(request.user, Perm.DIRECTORY_VIEW)
    return get_object_or_404(selectors.institution_list(request.user), pk=pk)


@router.post("", response={201: InstitutionOut}, summary="Add an institution")
def create_institution(request: HttpRequest, payload: InstitutionIn) -> Status[Institution]:
    access.require(request.user, Perm.INSTITUTION_CREATE)
    institution = services.institution_create(
        data=_data(payload, False), by=signed_in_user(request)
    )
    return Status(201, institution)


@router.patch("/{int:pk}", response=InstitutionOut, summary="Change an institution")
def update_institution(request: HttpRequest, pk: int, payload: InstitutionPatch) -> Institution:
    institution = get_object_or_404(Institution, pk=pk)
    access.require(request.user, Perm.INSTITUTION_CHANGE, institution)
    return services.institution_update(
        institution=institution,
        data=_data(payload, True),
        by=signed_in_user(request),
    )


@router.get("/{int:pk}/members", response=list[MemberOut], summary="People and their roles")
def list_members(request: HttpRequest, pk: int) -> Any:
    institution = get_object_or_404(Institution, pk=pk)
    access.require(request.user, Perm.PEOPLE_VIEW, institution)
    return selectors.institution_people(request.user, institution)
