from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from consilium.accounts import audit

# Session flags set at sign-in (``receivers.signed_in``): the person is an administrator, and
# has a second factor turned on. The gate asks the database only for an administrator
# without one.
SESSION_ADMIN = "consilium_admin"
SESSION_FACTOR = "consilium_factor"


class UserLanguageMiddleware:
    """A signed-in person's chosen interface language wins over cookie and browser.

    It also keeps the request at hand for the security audit log (``audit.serving``) and runs
    the second-factor gate (``SecondFactorGate``) inside, so that no setting changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = SecondFactorGate(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        with audit.serving(request):
            return self.get_response(request)


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("accounts:second_factor"),
        reverse("accounts:logout"),
        reverse("core:set_language"),
        settings.STATIC_URL or "/static/",
        "/health/",
    )


class SecondFactorGate:
    """When the network administrator requires a second factor of administrators, an
    administrator without one is sent to set it up before anything else (the API answers 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._held_up(request):
            if request.path.startswith("/api/"):
                message = _("Set up a second factor first.")
                return JsonResponse({"detail": message}, status=403)
            target = reverse("accounts:second_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _held_up(self, request: HttpRequest) -> bool:
        from consilium.accounts import services

        session = request.session
        if SESSION_ADMIN not in session:  # a session from before the gate: ask once
            session[SESSION_ADMIN] = services.is_administrator(request.user)
            session[SESSION_FACTOR] = services.second_factor_is_on(request.user)
        if not session.get(SESSION_ADMIN) or session.get(SESSION_FACTOR):
            return False
        if request.path.startswith(_exempt_prefixes()):
            return False
        return services.second_factor_missing(request.user)
