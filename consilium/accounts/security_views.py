"""The second factor's pages (the sign-in's second step, set-up, recovery codes, turning it
off) and the network administrators' security pages (settings, the audit log and its CSV).

The sign-in page is ``views.SignInView`` with a second step: ``TwoStepSignInView``."""

import json
import time
from datetime import UTC
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consilium.accounts import qr, selectors, services
from consilium.accounts.forms import (
    SecondFactorConfirmForm,
    SecondFactorDisableForm,
    SecurityEventFilterForm,
    SecuritySettingsForm,
    SignInCodeForm,
    SignInForm,
    code_refused,
)
from consilium.accounts.http import AuthedRequest
from consilium.accounts.middleware import SESSION_FACTOR
from consilium.accounts.models import EventKind, User
from consilium.accounts.policy import Perm
from consilium.accounts.views import SignInView
from consilium.core import access
from consilium.core.access import requires
from consilium.core.http import client_ip, safe_next, set_language_cookie
from consilium.core.tabular import csv_stream
from consilium.core.viewkit import Done, action, form_page, posted, refusal


def _signed_in(response: HttpResponse, user: User) -> HttpResponse:
    if user.language:
        translation.activate(user.language)
        set_language_cookie(response, user.language)
    return response


# The person whose password was right and whose code is awaited, in the session until then.
PENDING = "consilium_code_pending"
PENDING_SECONDS = 300


class TwoStepSignInView(SignInView):
    """The sign-in page; a person with a second factor is not signed in after the password
    but sent to the second step (``sign_in_code``)."""

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if services.second_factor_is_on(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
                "next": self.get_redirect_url(),
                "at": int(time.time()),
            }
            return redirect("accounts:sign_in_code")
        return super().form_valid(form)


sign_in = requires(access.Perm.PUBLIC)(TwoStepSignInView.as_view())


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, pending) if user is not None else None


@never_cache
@requires(access.Perm.PUBLIC)
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, after a right password: the authenticator app's code or
    a recovery code. Wrong codes are throttled like wrong passwords."""
    found = _pending(request)
    if found is None:  # no password checked lately: start again
        request.session.pop(PENDING, None)
        return render(request, "accounts/sign_in_code.html", {"expired": True})
    user, pending = found
    form = SignInCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        outcome = services.second_factor_verify(
            user=user, code=form.cleaned_data["code"], client=client_ip(request)
        )
        if outcome in (services.CodeCheck.PASSED, services.CodeCheck.RECOVERY):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            if outcome is services.CodeCheck.RECOVERY:
                left = services.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code: %(left)s is left.",
                        "You signed in with a recovery code: %(left)s are left.",
                        left,
                    )
                    % {"left": left},
                )
            target = pending.get("next") or settings.LOGIN_REDIRECT_URL
            return _signed_in(redirect(target), user)
        form.add_error(
            None if outcome != services.CodeCheck.WRONG else "code", code_refused(outcome)
        )
    return render(request, "accounts/sign_in_code.html", {"form": form})


# --- second factor -----------------------------------------------------------------------


@never_cache
@requires(Perm.ACCOUNT_SECOND_FACTOR)
def second_factor(request: AuthedRequest) -> HttpResponse:
    """Whether the second factor is on, with what can be done about it; where an
    administrator who must have one is sent (``next`` is kept for after the set-up)."""
    factor = services.second_factor_of(request.user)
    on = factor is not None and factor.is_on
    return render(
        request,
        "accounts/second_factor.html",
        {
            "on": on,
            "required": services.second_factor_required()
            and services.is_administrator(request.user),
            "codes_left": services.recovery_codes_left(request.user) if on else 0,
            "disable_form": SecondFactorDisableForm() if on else None,
            "next": safe_next(request, fallback=""),
        },
    )


@require_POST
@requires(Perm.ACCOUNT_SECOND_FACTOR)
def second_factor_setup(request: AuthedRequest) -> HttpResponse:
    def run(data: dict[str, Any]) -> Done:
        services.second_factor_begin(user=request.user)
        target = reverse("accounts:second_factor_confirm")
        following = safe_next(request, fallback="")
        return Done(to=f"{target}?{urlencode({'next': following})}" if following else target)

    return action(request, None, run, to="accounts:second_factor")


@never_cache
@requires(Perm.ACCOUNT_SECOND_FACTOR)
def second_factor_confirm(request: AuthedRequest) -> HttpResponse:
    """The QR code (and the secret, to type instead) of the app being set up; a first code
    turns the factor on and the ten recovery codes are shown, once."""
    factor = services.second_factor_of(request.user)
    if factor is None or factor.is_on:
        return redirect("accounts:second_factor")
    form = SecondFactorConfirmForm(posted(request))
    following = safe_next(request, fallback="")

    def save(data: dict[str, Any]) -> Done:
        codes = services.second_factor_confirm(
            user=request.user, code=data["code"], client=client_ip(request)
        )
        request.session[SESSION_FACTOR] = True
        messages.success(request, _("The second factor is on."))
        return Done(to=_recovery_codes_page(request, codes, following))

    return form_page(
        request,
        form,
        save,
        template="accounts/second_factor_confirm.html",
        context=lambda: {
            "qr": qr.svg(services.second_factor_setup_uri(factor)),
            "secret": services.second_factor_secret(factor),
            "next": following,
        },
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str], following: str) -> HttpResponse:
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": following})


@never_cache
@require_POST
@requires(Perm.ACCOUNT_SECOND_FACTOR)
def recovery_codes_new(request: AuthedRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=request.user)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
        return redirect("accounts:second_factor")
    return _recovery_codes_page(request, codes, "")


@require_POST
@requires(Perm.ACCOUNT_SECOND_FACTOR)
def second_factor_disable(request: AuthedRequest) -> HttpResponse:
    def run(data: dict[str, Any]) -> str:
        problem = services.second_factor_disable(
            user=request.user,
            password=data["password"],
            code=data["code"],
            client=client_ip(request),
        )
        if problem:
            raise ValidationError(problem)
        request.session[SESSION_FACTOR] = False
        return _("The second factor is off.")

    form = SecondFactorDisableForm(request.POST)
    return action(request, form, run, to="accounts:second_factor")


# --- security: settings and the audit log (network administrators) ------------------------


@requires(Perm.SECURITY_SETTINGS)
def security_settings(request: AuthedRequest) -> HttpResponse:
    current = services.security_settings()
    form = SecuritySettingsForm(
        posted(request), initial={"require_second_factor": current.require_second_factor}
    )

    def save(data: dict[str, Any]) -> str:
        services.security_settings_update(
            require_second_factor=data["require_second_factor"], by=request.user
        )
        return _("The security settings are saved.")

    return form_page(
        request,
        form,
        save,
        template="accounts/security_settings.html",
        to="accounts:security_settings",
    )


def _events(request: HttpRequest) -> tuple[SecurityEventFilterForm, Any]:
    form = SecurityEventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    flt = selectors.SecurityEventFilter.from_cleaned(data)
    return form, selectors.security_event_list(request.user, flt)


@requires(Perm.SECURITY_AUDIT)
def security_events(request: AuthedRequest) -> HttpResponse:
    form, rows = _events(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    labels = dict(EventKind.choices)
    for event in page.object_list:
        event.kind_label = labels.get(event.kind, event.kind)
    return render(
        request,
        "accounts/security_events.html",
        {"form": form, "page": page, "query": request.GET.urlencode()},
    )


@requires(Perm.SECURITY_AUDIT)
def security_events_export(request: AuthedRequest) -> StreamingHttpResponse:
    _form, rows = _events(request)
    labels = dict(EventKind.choices)

    def lines() -> Any:
        yield [
            _("When (UTC)"),
            _("Kind"),
            _("Actor"),
            _("Subject"),
            _("Institution"),
            _("IP address"),
            _("Details"),
        ]
        for event in rows.iterator(chunk_size=500):
            yield [
                event.at.astimezone(UTC).isoformat(timespec="seconds"),
                labels.get(event.kind, event.kind),
                event.actor_email,
                event.subject,
                event.institution_id or "",
                event.ip or "",
                json.dumps(event.details, ensure_ascii=False, sort_keys=True),
            ]

    response = StreamingHttpResponse(csv_stream(lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="security-events.csv"'
    return response
