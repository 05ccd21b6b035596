"""The shell's own pages: health, the benchmarks' floor and the error pages.

The home page (the directory's figures) is ``institutions.views.home`` and the language
switch (which keeps a signed-in person's choice in their profile) ``accounts.views.set_language``;
the root URLconf mounts them under the ``core:`` names next to these.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consilium.core import access
from consilium.core.access import requires


@requires(access.Perm.PUBLIC)
def floor(request: HttpRequest) -> HttpResponse:
    """A constant response through the whole middleware stack: the benchmarks' floor."""
    return HttpResponse("floor", content_type="text/plain")


@requires(access.Perm.PUBLIC)
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors that touch the database, which may be the fault.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({"request": request}), status=500)
