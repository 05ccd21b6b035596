"""The shell's own pages: health, the benchmarks' floor and the error pages.

The home page (the directory's figures) is ``institutions.views.home`` and the language
switch (which keeps a signed-in person's choice in their profile) ``accounts.views.set_language``;
the root URLconf mounts them under the ``core:`` names next to these.
"""

import sys
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from consilium.core import access
from consilium.core.access import requires

# A database that cannot be reached (restarting, failing over, a dropped connection): the
# error pages say "try again in a moment" with 503 instead of a bare 500.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


@requires(access.Perm.PUBLIC)
def floor(request: HttpRequest) -> HttpResponse:
    """A constant response through the whole middleware stack: the benchmarks' floor."""
    return HttpResponse("floor", content_type="text/plain")


def _queue_state() -> dict[str, object]:
    """The task queue: reachable, how many tasks wait, and how long the oldest has waited.

    A queue whose oldest ready task has waited longer than ``HEALTH_TASK_STALL_SECONDS`` has no
    worker taking from it (stopped, or stuck): that is reported as "stalled".
    """
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return {"status": "ok", "backend": backend.rsplit(".", 1)[-1]}
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = 0 if oldest is None else max(0, int(time.time() - oldest.timestamp()))
    stalled = age > settings.HEALTH_TASK_STALL_SECONDS
    return {
        "status": "stalled" if stalled else "ok",
        "waiting": waiting.count(),
        "oldest_waiting_seconds": age,
    }


@requires(access.Perm.PUBLIC)
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database answers and the task queue is
    being worked, 503 (with what is wrong) when not."""
    report: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except DatabaseError:
        report["database"] = "unavailable"
        return JsonResponse({"status": "unavailable", **report}, status=503)
    try:
        report["tasks"] = _queue_state()
    except DatabaseError:
        report["tasks"] = {"status": "unavailable"}
    healthy = report["tasks"]["status"] == "ok"  # type: ignore[index]
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors that touch the database, which may be the fault.
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return _unavailable(request)
    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)


def _unavailable(request: HttpRequest) -> HttpResponse:
    """The database cannot be reached: ask to try again shortly (a page, or JSON for the API)."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": _("Consilium cannot reach its database just now. Try again in a moment.")},
            status=503,
        )
    else:
        page = loader.get_template("503.html").render({"request": request})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
