"""Programme pages: the list, setting one up and editing it, its phases, priority areas and
funders, and its report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core import access
from consilium.core.access import requires
from consilium.core.forms import apply_errors
from consilium.core.viewkit import action
from consilium.partnerships import selectors, services
from consilium.partnerships.forms import (
    AreaForm,
    FunderForm,
    PhaseForm,
    ProgrammeForm,
    translations,
)
from consilium.partnerships.models import Programme
from consilium.partnerships.policy import Perm
from consilium.partnerships.views.common import load_programme

# --- programmes --------------------------------------------------------------------------


@requires(Perm.PROGRAMME_VIEW)
def programme_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.programme_list(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/programme_list.html",
        {"page": page, "can_create": access.can(request.user, Perm.PROGRAMME_MANAGE)},
    )


def _save_programme(request: AuthedRequest, programme: Programme | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if programme is not None:
        initial = {
            "owner": programme.owner_id,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "funding_frame": programme.funding_frame,
        }
        for code in services.LANGS:
            initial[f"title_{code}"] = getattr(programme, f"title_{code}") or ""
            initial[f"description_{code}"] = getattr(programme, f"description_{code}") or ""
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Whoever sets up or edits a programme must also manage its (new) owner.
        if not access.can(request.user, Perm.PROGRAMME_MANAGE, Programme(owner=data["owner"])):
            form.add_error("owner", _("You may set up programmes only for your own ministry."))
        else:
            try:
                if programme is None:
                    programme = services.programme_create(
                        owner=data["owner"],
                        titles=translations(data, "title"),
                        descriptions=translations(data, "description"),
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        funding_frame=data["funding_frame"],
                        by=request.user,
                    )
                else:
                    services.programme_update(
                        programme=programme,
                        data={
                            "owner": data["owner"],
                            "starts_on": data["starts_on"],
                            "ends_on": data["ends_on"],
                            "funding_frame": data["funding_frame"],
                            "titles": translations(data, "title"),
                            "descriptions": translations(data, "description"),
                        },
                    )
                messages.success(request, _("The programme is saved."))
                return redirect("partnerships:programme_detail", pk=programme.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
    return render(
        request, "partnerships/programme_form.html", {"form": form, "programme": programme}
    )


@requires(Perm.PROGRAMME_MANAGE)
def programme_create(request: AuthedRequest) -> HttpResponse:
    return _save_programme(request, None)


@requires(Perm.PROGRAMME_MANAGE, programme=load_programme)
def programme_edit(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return _save_programme(request, programme)


@requires(Perm.PROGRAMME_VIEW, programme=load_programme)
def programme_detail(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    manages = access.can(request.user, Perm.PROGRAMME_MANAGE, programme)
    agreements = selectors.agreement_list(
        request.user, selectors.AgreementFilter(programme=programme.pk)
    )
    return render(
        request,
        "partnerships/programme_detail.html",
        {
            "programme": programme,
            "manages": manages,
            "agreements": Paginator(agreements, 50).get_page(request.GET.get("page")),
            "phase_form": PhaseForm(initial={"number": programme.phases.count() + 1}),
            "area_form": AreaForm(),
            "funder_form": FunderForm(),
        },
    )


def _programme_part(
    request: AuthedRequest, programme: Programme, form_class: type, save: Any
) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        save(programme, data)
        return _("Saved.")

    return action(
        request,
        form_class(request.POST),
        act,
        to=reverse("partnerships:programme_detail", args=[programme.pk]),
    )


@require_POST
@requires(Perm.PROGRAMME_MANAGE, programme=load_programme)
def phase_add(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return _programme_part(
        request,
        programme,
        PhaseForm,
        lambda p, d: services.phase_add(
            programme=p,
            number=d["number"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            titles={
                "en": d["title_en"],
                "ru": d["title_ru"],
                "kk": d["title_kk"],
                "uk": d["title_uk"],
            },
        ),
    )


@require_POST
@requires(Perm.PROGRAMME_MANAGE, programme=load_programme)
def area_add(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return _programme_part(
        request,
        programme,
        AreaForm,
        lambda p, d: services.priority_area_add(
            programme=p,
            names={"en": d["name_en"], "ru": d["name_ru"], "kk": d["name_kk"], "uk": d["name_uk"]},
        ),
    )


@require_POST
@requires(Perm.PROGRAMME_MANAGE, programme=load_programme)
def funder_add(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return _programme_part(
        request,
        programme,
        FunderForm,
        lambda p, d: services.funder_add(
            programme=p, source=d["source"], amount=d["amount"], currency=d["currency"] or ""
        ),
    )


@requires(Perm.PROGRAMME_VIEW, programme=load_programme)
def programme_report(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return render(
        request,
        "partnerships/programme_report.html",
        {
            "programme": programme,
            "report": selectors.programme_report(request.user, programme),
        },
    )
