"""The lists of actions: mine, an institution's, the network's (with counts), and exports."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from consilium.accounts.http import AuthedRequest
from consilium.actions import exports, origins, selectors
from consilium.actions.choices import ActionKind, ActionStatus
from consilium.actions.policy import Perm
from consilium.core import access
from consilium.core.access import requires
from consilium.institutions.models import Institution


@requires(Perm.ACTION_MINE)
def action_mine(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.action_mine(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/mine.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "can_create": access.can(request.user, Perm.ACTION_CREATE),
        },
    )


def _institution(request: AuthedRequest, pk: int, **_kwargs: object) -> Institution:
    return get_object_or_404(Institution, pk=pk)


@requires(Perm.ACTION_INSTITUTION, institution=_institution)
def action_institution(
    request: AuthedRequest, pk: int, *, institution: Institution
) -> HttpResponse:
    flt = selectors.ActionFilter.from_params(request.GET)
    rows = selectors.action_filtered(
        selectors.action_of_institution(request.user, institution), flt
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/institution.html",
        {
            "institution": institution,
            "page": page,
            "filter": flt,
            "today": timezone.localdate(),
            "kinds": ActionKind.choices,
            "statuses": ActionStatus.choices,
            "can_create": access.can(request.user, Perm.ACTION_CREATE, institution),
        },
    )


@requires(Perm.ACTION_NETWORK)
def action_network(request: AuthedRequest) -> HttpResponse:
    flt = selectors.ActionFilter.from_params(request.GET)
    page = Paginator(selectors.action_list(request.user, flt), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/network.html",
        {
            "page": page,
            "filter": flt,
            "counts": selectors.action_counts(request.user, flt),
            "today": timezone.localdate(),
            "kinds": ActionKind.choices,
            "statuses": ActionStatus.choices,
            "origins": [(o.key, o.model._meta.verbose_name) for o in origins.origins()],
            "institutions": Institution.objects.order_by("name"),
        },
    )


@requires(Perm.ACTION_MINE)
def action_export(request: AuthedRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The actions this person may see, with the network list's filters, as CSV or XLSX."""
    flt = selectors.ActionFilter.from_params(request.GET)
    rows = selectors.action_list(request.user, flt)
    stamp = timezone.localdate().isoformat()
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.actions_csv(rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.actions_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="actions-{stamp}.{fmt}"'
    return response
