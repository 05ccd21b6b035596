from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core import access
from consilium.core.access import requires
from consilium.core.forms import apply_errors
from consilium.core.history import readable_history
from consilium.core.person_cache import cached_per_person
from consilium.core.text import is_number as _is_number
from consilium.institutions.countries import COUNTRIES
from consilium.institutions.models import Institution
from consilium.partnerships import exports, lifecycle, policy, selectors, services
from consilium.partnerships.forms import (
    AgreementEditForm,
    AnalysisForm,
    ApproveForm,
    AreaForm,
    DocumentForm,
    FunderForm,
    FundingFormSet,
    PartyFormSet,
    PhaseForm,
    ProgrammeForm,
    RecommendationForm,
    RecommendationUpdateForm,
    RenewForm,
    TransitionForm,
    WorkItemForm,
    translations,
)
from consilium.partnerships.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    CooperationForm,
    Document,
    Programme,
    Recommendation,
)
from consilium.partnerships.policy import Perm


def _agreement(request: HttpRequest, pk: int, **_kwargs: Any) -> Agreement:
    try:
        return selectors.agreement_detail(request.user, pk)
    except Agreement.DoesNotExist:
        # Not visible and not existing look the same from outside, except to those who may
        # know it exists: a hidden agreement answers 403 to a signed-in stranger.
        agreement = Agreement.objects.filter(pk=pk).prefetch_related("parties").first()
        if agreement is None:
            raise Http404 from None
        return agreement


def _programme(request: HttpRequest, pk: int, **_kwargs: Any) -> Programme:
    try:
        return selectors.programme_detail(pk)
    except Programme.DoesNotExist:
        raise Http404 from None


def _act(
    request: HttpRequest,
    form: Any,
    act: Callable[[dict[str, Any]], str],
    done: str,
    invalid: str | None = None,
) -> HttpResponse:
    """Run a small form's service; say how it went; go back to ``done``.

    ``act`` calls the service and returns the success message. A service refusal becomes an
    error message; an invalid form gives ``invalid`` or each field's errors with its label.
    """
    if form.is_valid():
        try:
            messages.success(request, act(form.cleaned_data))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif invalid is not None:
        messages.error(request, invalid)
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}".strip(": "))
    return redirect(done)


def _detail_url(pk: int) -> str:
    return reverse("partnerships:agreement_detail", args=[pk])


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


@requires(Perm.AGREEMENT_VIEW, agreement=_agreement)
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
        "recommendations": agreement.recommendations.select_related("area", "owner"),
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
                services.check_proposer(request.user, party_data)
                saved = services.agreement_create(by=request.user, **fields)
                messages.success(
                    request,
                    _("The agreement is proposed. Parties can now edit and approve the draft."),
                )
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
        },
    )


@requires(Perm.AGREEMENT_CREATE)
def agreement_create(request: AuthedRequest) -> HttpResponse:
    return _save_agreement(request, None)


@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
def agreement_edit(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:
    if agreement.status not in lifecycle.DRAFT:
        messages.error(
            request,
            _("Only a draft can be edited; this agreement is %(status)s.")
            % {"status": agreement.get_status_display()},
        )
        return redirect("partnerships:agreement_detail", pk=pk)
    return _save_agreement(request, agreement)


@requires(Perm.AGREEMENT_VIEW, agreement=_agreement)
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


@requires(Perm.AGREEMENT_VIEW, agreement=_agreement)
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
@requires(Perm.AGREEMENT_VIEW, agreement=_agreement)
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
@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
def agreement_transition(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.agreement_transition(
            agreement=agreement,
            to=data["to"],
            by=request.user,
            data={"signed_on": data["signed_on"], "note": data["note"]},
        )
        return _("The agreement is now %(status)s.") % {"status": AgreementStatus(data["to"]).label}

    return _act(
        request,
        TransitionForm(request.POST),
        act,
        _detail_url(pk),
        _("Choose a status from the list."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
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


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
def document_upload(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        document = services.document_upload(
            agreement=agreement,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            by=request.user,
        )
        return _("“%(title)s” version %(version)s is uploaded.") % {
            "title": document.title,
            "version": document.version,
        }

    form = DocumentForm(request.POST, request.FILES)
    return _act(request, form, act, _detail_url(pk) + "#documents")


@requires(Perm.AGREEMENT_DOCUMENTS, agreement=_agreement)
def document_download(
    request: AuthedRequest, pk: int, document: int, *, agreement: Agreement
) -> FileResponse:
    doc = get_object_or_404(Document, pk=document, agreement_id=pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = doc.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        content_type=doc.content_type,
        as_attachment=True,
        filename=f"{doc.title}-v{doc.version}.{extension}",
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
def analysis_save(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.analysis_save(agreement=agreement, area=data["area"], situation=data["situation"])
        return _("The situation analysis is saved.")

    return _act(
        request,
        AnalysisForm(request.POST, programme=agreement.programme),
        act,
        _detail_url(pk),
        _("Choose a priority area and describe the situation."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
def recommendation_add(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.recommendation_add(
            agreement=agreement,
            text=data["text"],
            area=data["area"],
            owner=request.user,
            due_on=data["due_on"],
        )
        return _("The recommendation is added.")

    return _act(
        request,
        RecommendationForm(request.POST, programme=agreement.programme),
        act,
        _detail_url(pk),
        _("Write the recommendation."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
def recommendation_update(
    request: AuthedRequest, pk: int, recommendation: int, *, agreement: Agreement
) -> HttpResponse:
    target = get_object_or_404(Recommendation, pk=recommendation, agreement_id=pk)

    def act(data: dict[str, Any]) -> str:
        services.recommendation_update(
            recommendation=target,
            status=data["status"],
            evidence=data["evidence"],
            owner=target.owner,
            due_on=data["due_on"] or target.due_on,
        )
        return _("The recommendation is updated.")

    return _act(
        request,
        RecommendationUpdateForm(request.POST),
        act,
        _detail_url(pk),
        _("Choose a status from the list."),
    )


@require_POST
@requires(Perm.AGREEMENT_EDIT, agreement=_agreement)
def work_item_add(request: AuthedRequest, pk: int, *, agreement: Agreement) -> HttpResponse:

    def act(data: dict[str, Any]) -> str:
        services.work_item_add(agreement=agreement, phase=agreement.phase, **data)
        return _("Saved.")

    return _act(
        request,
        WorkItemForm(request.POST),
        act,
        _detail_url(pk),
        _("Give the kind, the period and a title."),
    )


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


@requires(Perm.PROGRAMME_MANAGE, programme=_programme)
def programme_edit(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return _save_programme(request, programme)


@requires(Perm.PROGRAMME_VIEW, programme=_programme)
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

    return _act(
        request,
        form_class(request.POST),
        act,
        reverse("partnerships:programme_detail", args=[programme.pk]),
    )


@require_POST
@requires(Perm.PROGRAMME_MANAGE, programme=_programme)
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
@requires(Perm.PROGRAMME_MANAGE, programme=_programme)
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
@requires(Perm.PROGRAMME_MANAGE, programme=_programme)
def funder_add(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return _programme_part(
        request,
        programme,
        FunderForm,
        lambda p, d: services.funder_add(
            programme=p, source=d["source"], amount=d["amount"], currency=d["currency"] or ""
        ),
    )


@requires(Perm.PROGRAMME_VIEW, programme=_programme)
def programme_report(request: AuthedRequest, pk: int, *, programme: Programme) -> HttpResponse:
    return render(
        request,
        "partnerships/programme_report.html",
        {
            "programme": programme,
            "report": selectors.programme_report(request.user, programme),
        },
    )


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
