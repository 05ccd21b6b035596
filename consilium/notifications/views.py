from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consilium.accounts.http import AuthedRequest
from consilium.core import access
from consilium.core.access import requires
from consilium.notifications import selectors, services


@requires(access.Perm.SIGNED_IN)
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@requires(access.Perm.SIGNED_IN)
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")
