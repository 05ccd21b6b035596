from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.accounts.models import User
from consilium.core import access
from consilium.core.access import Loaded, requires
from consilium.core.history import readable_history
from consilium.core.home import render_home_panels
from consilium.core.jobs import job_start
from consilium.core.models import Job, JobStatus
from consilium.core.public_cache import cached_for_anonymous
from consilium.core.sections import render_institution_sections
from consilium.core.viewkit import Done, action, form_page
from consilium.institutions import policy, selectors, services, spreadsheets
from consilium.institutions.countries import COUNTRIES
from consilium.institutions.forms import (
    AcceptInvitationForm,
    ImportForm,
    InstitutionForm,
    InvitationForm,
    RoleForm,
)
from consilium.institutions.models import Institution, InstitutionKind, Invitation, Membership
from consilium.institutions.policy import Perm


def _institution(request: HttpRequest, pk: int, **_kwargs: Any) -> Institution:
    return get_object_or_404(Institution.objects.select_related("parent"), pk=pk)


def _membership_institution(request: HttpRequest, pk: int, membership: int) -> Loaded:
    """The institution (checked) and, as ``target``, one of its memberships."""
    institution = _institution(request, pk)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership, institution=institution
    )
    return Loaded(institution, target=target)


def _invitation_institution(request: HttpRequest, pk: int, invitation: int) -> Loaded:
    """The institution (checked) and, as ``target``, one of its invitations."""
    institution = _institution(request, pk)
    target = get_object_or_404(Invitation, pk=invitation, institution=institution)
    return Loaded(institution, target=target)


@requires(access.Perm.PUBLIC)
@cached_for_anonymous("directory")
def home(request: HttpRequest) -> HttpResponse:
    """The site's home page. A visitor gets a search of the directory and the network in
    figures; a signed-in person a personal start: the panels apps register
    (``core/home.py``: courses to continue and to review, agreements to approve…)."""
    if request.user.is_authenticated:
        return render(request, "core/home.html", {"panels": render_home_panels(request)})
    return render(request, "institutions/home.html", {"figures": selectors.network_figures()})


@requires(Perm.DIRECTORY_VIEW)
@cached_for_anonymous("directory")
def institution_list(request: HttpRequest) -> HttpResponse:
    flt = selectors.DirectoryFilter.from_params(request.GET)
    page = Paginator(selectors.institution_list(request.user, flt), 20).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filter": flt,
        "kinds": InstitutionKind.choices,
        "countries": COUNTRIES,
    }
    partial = getattr(request, "htmx", False)
    template = "institutions/_results.html" if partial else "institutions/list.html"
    return render(request, template, context)


@requires(Perm.DIRECTORY_VIEW, institution=_institution)
def institution_detail(request: HttpRequest, pk: int, *, institution: Institution) -> HttpResponse:
    user = request.user
    sees_people = access.can(user, Perm.PEOPLE_VIEW, institution)
    manages = access.can(user, Perm.PEOPLE_MANAGE, institution)
    context = {
        "institution": institution,
        "branches": selectors.institution_branches(institution),
        "people": selectors.institution_people(user, institution) if sees_people else None,
        "sees_people": sees_people,
        "manages_people": manages,
        "can_edit": access.can(user, Perm.INSTITUTION_CHANGE, institution),
        "invitations": selectors.invitation_list_open(institution) if manages else None,
        "invite_form": InvitationForm(roles=policy.grantable_roles(user)) if manages else None,
        "roles": policy.grantable_roles(user) if manages else [],
        "locked_roles": policy.locked_roles(user),
        "module_sections": render_institution_sections(request, institution),
    }
    return render(request, "institutions/detail.html", context)


def _detail_url(pk: int) -> str:
    return reverse("institutions:detail", args=[pk])


def _save_institution(request: AuthedRequest, instance: Institution | None) -> HttpResponse:
    def save(data: dict[str, Any]) -> Done:
        if instance is None:
            created = services.institution_create(data=data, by=request.user)
            return Done(_("The institution is added to the directory."), to=_detail_url(created.pk))
        services.institution_update(institution=instance, data=data, by=request.user)
        return Done(_("The changes are saved."), to=_detail_url(instance.pk))

    return form_page(
        request,
        InstitutionForm(request.POST or None, instance=instance),
        save,
        template="institutions/form.html",
        context={"institution": instance},
    )


@requires(Perm.INSTITUTION_CREATE)
def institution_create(request: AuthedRequest) -> HttpResponse:
    return _save_institution(request, None)


@requires(Perm.INSTITUTION_CHANGE, institution=_institution)
def institution_edit(request: AuthedRequest, pk: int, *, institution: Institution) -> HttpResponse:
    return _save_institution(request, institution)


@requires(Perm.INSTITUTION_CHANGE, institution=_institution)
def institution_history(
    request: AuthedRequest, pk: int, *, institution: Institution
) -> HttpResponse:
    records = list(
        institution.history.select_related("history_user").order_by("-history_date")[:50]
    )
    changes = readable_history(records, Institution)
    return render(
        request, "institutions/history.html", {"institution": institution, "changes": changes}
    )


@requires(Perm.INSTITUTION_IMPORT)
def institution_import(request: AuthedRequest) -> HttpResponse:
    """A small file is imported at once; a larger one (over ``spreadsheets.sync_max_bytes()``) by the
    task worker, while the person watches its progress (``institution_import_job``)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > spreadsheets.sync_max_bytes():
            return _import_in_background(request, form, upload)
        try:
            report = spreadsheets.import_institutions(
                upload=upload, filename=upload.name, by=request.user
            )
        except spreadsheets.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if report.ok:
                messages.success(request, _imported(report.created))
                return redirect("institutions:list")
    return render(
        request,
        "institutions/import.html",
        {"form": form, "report": report, "columns": spreadsheets.COLUMNS},
    )


def _imported(count: int) -> str:
    return ngettext(
        "%(count)s institution imported.", "%(count)s institutions imported.", count
    ) % {"count": count}


def _import_in_background(request: AuthedRequest, form: ImportForm, upload: Any) -> HttpResponse:
    raw = upload.read(settings.IMPORT_MAX_BYTES + 1)
    if len(raw) > settings.IMPORT_MAX_BYTES:
        form.add_error(
            "file",
            _("The file is larger than %(size)s MB.")
            % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
        )
        return render(
            request,
            "institutions/import.html",
            {"form": form, "report": None, "columns": spreadsheets.COLUMNS},
        )
    job = job_start(
        kind=spreadsheets.JOB_KIND, user=request.user, payload=raw, filename=upload.name
    )
    return redirect("institutions:import_job", job=job.pk)


@requires(Perm.INSTITUTION_IMPORT)
def institution_import_job(request: AuthedRequest, job: int) -> HttpResponse:
    """The progress of one's own large import, then its result. The page reloads itself
    every two seconds (a ``Refresh`` header: no script) until the job has ended."""
    found = get_object_or_404(Job, pk=job, kind=spreadsheets.JOB_KIND)
    if found.user_id != request.user.pk:
        raise PermissionDenied
    result = found.result or {}
    if found.status == JobStatus.DONE and result.get("created"):
        messages.success(request, _imported(result["created"]))
        return redirect("institutions:list")
    response = render(
        request,
        "institutions/import_job.html",
        {
            "job": found,
            "errors": result.get("errors", []),
            "file_error": result.get("file_error", ""),
            "form": ImportForm(),
            "columns": spreadsheets.COLUMNS,
        },
    )
    if not found.finished:
        response["Refresh"] = "2"
    return response


@requires(Perm.DIRECTORY_EXPORT)
def institution_export(request: AuthedRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    flt = selectors.DirectoryFilter.from_params(request.GET)
    rows = selectors.institution_list(request.user, flt)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            spreadsheets.export_csv(rows.iterator(chunk_size=1000)),
            content_type="text/csv; charset=utf-8",
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            spreadsheets.export_xlsx(rows.iterator(chunk_size=1000)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="institutions-{stamp}.{fmt}"'
    return response


# --- people ------------------------------------------------------------------------------


@require_POST
@requires(Perm.PEOPLE_MANAGE, institution=_institution)
def invite(request: AuthedRequest, pk: int, *, institution: Institution) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        sent = services.invitation_create(
            institution=institution, email=data["email"], role=data["role"], invited_by=request.user
        )
        return _("An invitation is sent to %(email)s.") % {"email": sent.invitation.email}

    form = InvitationForm(request.POST, roles=policy.grantable_roles(request.user))
    return action(request, form, run, to=_detail_url(institution.pk))


@require_POST
@requires(Perm.PEOPLE_MANAGE, institution=_membership_institution)
def membership_role(
    request: AuthedRequest,
    pk: int,
    membership: int,
    *,
    institution: Institution,
    target: Membership,
) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        services.membership_change_role(membership=target, role=data["role"], by=request.user)
        return _("The role is changed.")

    return action(
        request,
        RoleForm(request.POST),
        run,
        to=_detail_url(pk),
        invalid=_("Choose a role from the list."),
    )


@require_POST
@requires(Perm.PEOPLE_MANAGE, institution=_membership_institution)
def membership_remove(
    request: AuthedRequest,
    pk: int,
    membership: int,
    *,
    institution: Institution,
    target: Membership,
) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        services.membership_remove(membership=target, by=request.user)
        return _("The role is removed.")

    return action(request, None, run, to=_detail_url(pk))


@require_POST
@requires(Perm.PEOPLE_MANAGE, institution=_invitation_institution)
def invitation_cancel(
    request: AuthedRequest,
    pk: int,
    invitation: int,
    *,
    institution: Institution,
    target: Invitation,
) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        services.invitation_cancel(invitation=target, by=request.user)
        return _("The invitation is cancelled.")

    return action(request, None, run, to=_detail_url(pk))


@requires(access.Perm.PUBLIC)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_detail_by_token(token)
    problem = services.invitation_problem(invitation)
    if problem or invitation is None:
        return render(request, "institutions/invitation.html", {"problem": problem}, status=410)
    user = request.user if isinstance(request.user, User) else None
    form = None if user else AcceptInvitationForm(request.POST or None, email=invitation.email)
    needs_sign_in = user is None and User.objects.filter(email__iexact=invitation.email).exists()
    if request.method == "POST" and not needs_sign_in and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(institution)s as %(role)s.")
                % {"institution": membership.institution, "role": membership.get_role_display()},
            )
            return redirect("institutions:detail", pk=membership.institution_id)
    return render(
        request,
        "institutions/invitation.html",
        {"invitation": invitation, "form": form, "needs_sign_in": needs_sign_in},
    )
