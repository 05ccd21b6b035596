from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from consilium.accounts import services as account_services
from consilium.core.access import requires
from consilium.core.http import safe_next, set_language_cookie
from consilium.core.public_cache import cached_for_anonymous
from consilium.institutions.selectors import network_figures


@requires("public")
@cached_for_anonymous("directory")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"figures": network_figures()})


def _no_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


@csrf_exempt
@require_POST
@requires("public")
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in person keeps the choice in the profile.

    An anonymous visitor's switch only sets a cookie, so it needs no CSRF token (that keeps
    public pages cacheable); a signed-in person's switch changes the profile and is checked.
    """
    if request.user.is_authenticated:
        # The callback given must not be csrf_exempt, or the middleware would skip the check.
        rejected = CsrfViewMiddleware(_no_response).process_view(request, _no_response, (), {})
        if rejected is not None:
            return rejected
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("Unknown language")
    if request.user.is_authenticated:
        account_services.user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
    translation.activate(language)
    response = redirect(safe_next(request, fallback="/"))
    set_language_cookie(response, language)
    return response


@requires("public")
def floor(request: HttpRequest) -> HttpResponse:
    """A constant response through the whole middleware stack: the benchmarks' floor."""
    return HttpResponse("floor", content_type="text/plain")


@requires("public")
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
