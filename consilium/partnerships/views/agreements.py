"""Agreement pages: the list and its exports, one agreement from proposal to renewal, and the
network picture."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core import access
from consilium.core.access import requires
from consilium.core.forms import apply_errors
from consilium.core.history import readable_history
from consilium.core.idempotency import new_key, once, valid_key
from consilium.core.person_cache import cached_per_person
from consilium.core.text import is_number as _is_number
from consilium.core.viewkit import action
from consilium.institutions.countries import COUNTRIES
from consilium.institutions.models import Institution
from consilium.partnerships import exports, lifecycle, policy, selectors, services
from consilium.partnerships.choices import AgreementKind, AgreementStatus, CooperationForm
from consilium.partnerships.forms import (
    AgreementEditForm,
    AnalysisForm,
    ApproveForm,
    DocumentForm,
    FundingFormSet,
    PartyFormSet,
    RecommendationForm,
    RenewForm,
    TransitionForm,
    WorkItemForm,
    translations,
)
from consilium.partnerships.models import Agreement, AgreementParty, Programme
from consilium.partnerships.policy import Perm
from consilium.partnerships.recommendations import recommendations_of
from consilium.partnerships.views.common import detail_url, load_agreement

CREATE_SCOPE = "partnerships.agreement_create"  # the one-time keys of core/idempotency.py

# --- agreements list and exports ---------------------------------------------------------


# Outside @requires: a hit is a page this person was allowed to see under the same roles.
@cached_per_person(services.CONTENT, "directory")
@requires(Perm.AGREEMENT_LIST)
def agreement_list(request: AuthedRequest) -> HttpResponse:
    flt = selectors.AgreementFilter.from_params(request.GET)
    page = Paginator(selectors.agreement_list(request.user, flt), 20).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filter": flt,
        "programmes": Programme.objects.order_by("-starts_on"),
        "kinds": AgreementKind.choices,
        "statuses": AgreementStatus.choices,
        "countries": COUNTRIES,
        "forms": CooperationForm.choices,
        "partner": Institution.objects.filter(pk=flt.partner).first() if flt.partner else None,
        "can_create": access.can(request.user, Perm.AGREEMENT_CREATE),
    }
    template = (
        "partnerships/_agreement_results.html"
        if getattr(request, "htmx", False)
        else "partnerships/agreement_list.html"
    )
    return render(request, template, context)


@requires(Perm.AGREEMENT_LIST)
def agreement_export(request: AuthedRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    flt = selectors.AgreementFilter.from_params(request.GET)
    rows = selectors.agreement_list(request.user, flt)
    stamp = timezone.localdate().isoformat()
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.agreements_csv(rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.agreements_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="agreements-{stamp}.{fmt}"'
    return response


# --- one agreement -----------------------------------------------------------------------


@requires(Perm.AGREEMENT_VIEW, agreement=load_agreement)
def agreement_detail(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    user = request.user
    version = services.current_version(agreement)
    approvals = (
        {a.party_id: a for a in version.approvals.select_related("approved_by")} if version else {}
    )
    can_edit = access.can(user, Perm.AGREEMENT_EDIT, agreement)
    parties = list(agreement.parties.all())
    my_parties = [p for p in parties if access.can(user, Perm.AGREEMENT_APPROVE, p)]
    context = {
        "agreement": agreement,
        "parties": parties,
        "version": version,
        "versions": list(agreement.versions.order_by("-number")[:20]),
        "approvals": approvals,
        "missing": services.missing_approvals(agreement),
        "my_parties": [p for p in my_parties if p.pk not in approvals],
        "is_draft": agreement.status in lifecycle.DRAFT,
        "can_edit": can_edit,
        "sees_documents": access.can(user, Perm.AGREEMENT_DOCUMENTS, agreement),
        "documents": agreement.documents.select_related("uploaded_by"),
        "next_statuses": [
            (s, label)
            for s, label in AgreementStatus.choices
            if s in lifecycle.allowed(agreement.status) and s != AgreementStatus.RENEWED
        ]
        if can_edit
        else [],
        "can_renew": can_edit and AgreementStatus.RENEWED in lifecycle.allowed(agreement.status),
        "transitions": agreement.transitions.select_related("by"),
        "funding": agreement.funding_lines.all(),
        "analyses": agreement.analyses.select_related("area"),
        "recommendations": recommendations_of(agreement),
        "work_items": agreement.work_items.select_related("phase"),
        "transition_form": TransitionForm(),
        "renew_form": RenewForm(),
        "document_form": DocumentForm(),
        "analysis_form": AnalysisForm(programme=agreement.programme),
        "recommendation_form": RecommendationForm(programme=agreement.programme),
        "work_form": WorkItemForm(),
        "today": timezone.localdate(),
    }
    return render(request, "partnerships/agreement_detail.html", context)


def _party_initial(agreement: Agreement | None) -> list[dict[str, Any]]:
    if agreement is None:
        return []
    return [
        {
            "institution": p.institution_id,
            "role": p.role,
            "signatory": p.signatory,
            "signatory_title": p.signatory_title,
            "contact_name": p.contact_name,
            "contact_email": p.contact_email,
        }
        for p in agreement.parties.all()
    ]


def _save_agreement(request: AuthedRequest, agreement: Agreement | None) -> HttpResponse:
    initial: dict[str, Any] = {"is_public": True}
    if agreement is not None:
        initial = {
            "kind": agreement.kind,
            "number": agreement.number,
            "programme": agreement.programme_id,
            "phase": agreement.phase_id,
            "summary": agreement.summary,
            "valid_from": agreement.valid_from,
            "valid_until": agreement.valid_until,
            "is_public": agreement.is_public,
            "cooperation": list(agreement.forms.values_list("form", flat=True)),
            "revision": agreement.revision,
            **{
                f"title_{code}": getattr(agreement, f"title_{code}") or ""
                for code in services.LANGS
            },
        }
    form = AgreementEditForm(request.POST or None, initial=initial)
    party_initial = _party_initial(agreement)
    if not party_initial:
        own = policy.coordinated_institution_ids(request.user)
        party_initial = [{"institution": own[0]} if own else {}, {}]
    # Bound formsets get no initial data: a row equal to its initial would count as empty.
    bound = request.method == "POST"
    parties = PartyFormSet(
        request.POST if bound else None, prefix="party", initial=None if bound else party_initial
    )
    funding_initial = (
        [
            {
                "source": f.source,
                "amount": f.amount,
                "currency": f.currency,
                "period_start": f.period_start,
                "period_end": f.period_end,
            }
            for f in agreement.funding_lines.all()
        ]
        if agreement and not bound
        else None
    )
    funding = FundingFormSet(
        request.POST if bound else None, prefix="funding", initial=funding_initial
    )
    conflict = False
    if request.method == "POST" and form.is_valid() and parties.is_valid() and funding.is_valid():
        data = form.cleaned_data
        party_data = [
            services.PartyData(**f.cleaned_data)
            for f in parties.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        funding_data = [
            services.FundingData(**f.cleaned_data) for f in funding.forms if f.cleaned_data
        ]
        fields = {
            "kind": data["kind"],
            "titles": translations(data, "title"),
            "parties": party_data,
            "forms": data["cooperation"],
            "number": data["number"],
            "programme": data["programme"],
            "phase": data["phase"],
            "summary": data["summary"],
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "funding": funding_data,
            "is_public": data["is_public"],
        }
        try:
            if agreement is None:
                services.agreement_check_proposer(request.user, party_data)
                # The form's one-time key: sent twice (a double click, a retry), it still
                # makes one agreement, and the second answer shows that one.
                saved_pk, _created = once(
                    scope=CREATE_SCOPE,
                    user=request.user,
                    key=valid_key(request.POST.get("idempotency_key")),
                    create=lambda: services.agreement_create(by=request.user, **fields).pk,
                )
                messages.success(
                    request,
                    _("The agreement is proposed. Parties can now edit and approve the draft."),
                )
                return redirect("partnerships:agreement_detail", pk=saved_pk)
            else:
                saved = services.agreement_edit(
                    agreement=agreement,
                    expected_revision=data.get("revision") or 0,
                    by=request.user,
                    **fields,
                )
                messages.success(
                    request,
                    _("A new version of the draft is saved. Earlier approvals no longer count."),
                )
            return redirect("partnerships:agreement_detail", pk=saved.pk)
        except services.ConflictError:
            conflict = True
            form.add_error(
                None,
                _(
                    "Someone else saved this draft while you were editing. "
                    "Your changes are below, not saved: compare them with the "
                    "current version, then save again."
                ),
            )
            data_copy = request.POST.copy()
            data_copy["revision"] = str(Agreement.objects.get(pk=agreement.pk).revision)  # type: ignore[union-attr]
            form.data = data_copy
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(
        request,
        "partnerships/agreement_form.html",
        {
            "form": form,
            "parties": parties,
            "funding": funding,
            "agreement": agreement,
            "conflict": conflict,
            "idempotency_key": valid_key(request.POST.get("idempotency_key")) or new_key(),
        },
    )


@requires(Perm.AGREEMENT_CREATE)
def agreement_create(request: AuthedRequest) -> HttpResponse:
    return _save_agreement(request, None)


@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def agreement_edit(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    if agreement.status not in lifecycle.DRAFT:
        messages.error(
            request,
            _("Only a draft can be edited; this agreement is %(status)s.")
            % {"status": agreement.get_status_display()},
        )
        return redirect("partnerships:agreement_detail", pk=pk)
    return _save_agreement(request, agreement)


@requires(Perm.AGREEMENT_VIEW, agreement=load_agreement)
def agreement_history(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    records = list(agreement.history.select_related("history_user").order_by("-history_date")[:100])
    changes = readable_history(records, Agreement)
    return render(
        request,
        "partnerships/agreement_history.html",
        {
            "agreement": agreement,
            "changes": changes,
            "transitions": agreement.transitions.select_related("by"),
        },
    )


@requires(Perm.AGREEMENT_VIEW, agreement=load_agreement)
def agreement_diff(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    versions = {v.number: v for v in agreement.versions.all()}
    if not versions:
        raise Http404
    newest = max(versions)
    a = int(request.GET["a"]) if _is_number(request.GET.get("a", "")) else max(newest - 1, 1)
    b = int(request.GET["b"]) if _is_number(request.GET.get("b", "")) else newest
    if a not in versions or b not in versions:
        raise Http404
    institutions = dict(
        (i.pk, str(i))
        for i in Institution.objects.filter(
            pk__in={
                p["institution"]
                for v in (versions[a], versions[b])
                for p in v.content.get("parties", [])
            }
        )
    )
    changes = services.version_diff(versions[a].content, versions[b].content)
    for change in changes:
        if change["field"].endswith(".institution"):
            change["old"] = institutions.get(change["old"], change["old"])
            change["new"] = institutions.get(change["new"], change["new"])
    return render(
        request,
        "partnerships/agreement_diff.html",
        {
            "agreement": agreement,
            "a": versions[a],
            "b": versions[b],
            "numbers": sorted(versions),
            "changes": changes,
        },
    )


@require_POST
@requires(Perm.AGREEMENT_VIEW, agreement=load_agreement)
def agreement_approve(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The approval form was incomplete."))
        return redirect("partnerships:agreement_detail", pk=pk)
    party = get_object_or_404(AgreementParty, pk=form.cleaned_data["party"], agreement=agreement)
    access.require(request.user, Perm.AGREEMENT_APPROVE, party)
    try:
        services.agreement_approve(
            agreement=agreement,
            party=party,
            by=request.user,
            version_number=form.cleaned_data["version"],
        )
        messages.success(
            request, _("%(party)s approves this version.") % {"party": party.institution}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("partnerships:agreement_detail", pk=pk)


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def agreement_transition(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.agreement_transition(
            agreement=agreement,
            to=data["to"],
            by=request.user,
            data={"signed_on": data["signed_on"], "note": data["note"]},
        )
        return _("The agreement is now %(status)s.") % {"status": AgreementStatus(data["to"]).label}

    return action(
        request,
        TransitionForm(request.POST),
        act,
        to=detail_url(pk),
        invalid=_("Choose a status from the list."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=load_agreement)
def agreement_renew(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            successor = services.agreement_renew(
                agreement=agreement,
                by=request.user,
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data["valid_until"],
            )
            messages.success(request, _("The renewed agreement is opened as a draft."))
            return redirect("partnerships:agreement_detail", pk=successor.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("partnerships:agreement_detail", pk=pk)


# --- the network picture -----------------------------------------------------------------


@requires(Perm.AGREEMENT_LIST)
def network(request: AuthedRequest) -> HttpResponse:
    flt = selectors.AgreementFilter.from_params(request.GET)
    graph = selectors.network_graph(request.user, flt)
    labels = dict(COUNTRIES)
    countries = sorted({node["country"] for node in graph["nodes"]})
    return render(
        request,
        "partnerships/network.html",
        {
            "graph": graph,
            "filter": flt,
            "legend": [(code, labels.get(code, code)) for code in countries],
            "programmes": Programme.objects.order_by("-starts_on"),
            "kinds": AgreementKind.choices,
            "statuses": AgreementStatus.choices,
            "countries": COUNTRIES,
            "forms": CooperationForm.choices,
        },
    )
