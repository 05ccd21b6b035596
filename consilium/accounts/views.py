from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from consilium.accounts import services
from consilium.accounts.forms import (
    ApiTokenForm,
    NewPasswordForm,
    ProfileForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
)
from consilium.accounts.http import AuthedRequest
from consilium.accounts.policy import Perm
from consilium.core import access
from consilium.core.access import requires
from consilium.core.http import client_ip, safe_next, set_language_cookie
from consilium.core.viewkit import Done, action, form_page, posted
from consilium.institutions.selectors import membership_list_of_user


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        if user.language:
            translation.activate(user.language)
            set_language_cookie(response, user.language)
        return response


sign_in = requires(access.Perm.PUBLIC)(SignInView.as_view())
sign_out = requires(access.Perm.PUBLIC)(auth_views.LogoutView.as_view())


@requires(access.Perm.PUBLIC)
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password. A valid request always goes on to the same
    page ("if an account uses this address, a link is on its way"), whether a mail was queued,
    no account has the address or a limit was reached: nobody learns which addresses have
    accounts, and the mail is sent by the task worker, not during the request."""

    def save(data: dict[str, Any]) -> str:
        services.password_reset_request(email=data["email"], client=client_ip(request))
        return ""

    form = ResetRequestForm(posted(request))
    return form_page(
        request,
        form,
        save,
        template="accounts/password_reset.html",
        to="accounts:password_reset_done",
    )


password_reset_done = requires(access.Perm.PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)


class NewPasswordView(auth_views.PasswordResetConfirmView):
    def get_form_kwargs(self) -> dict[str, Any]:
        # The new password forgives failed sign-ins from this address (the pair's too).
        return {**super().get_form_kwargs(), "client": client_ip(self.request)}


password_reset_confirm = requires(access.Perm.PUBLIC)(
    NewPasswordView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=NewPasswordForm,
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = requires(access.Perm.PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


@requires(access.Perm.PUBLIC)
def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an account and sign the person in, then go on where they were going."""
    target = safe_next(request, fallback="")
    if request.user.is_authenticated:
        return redirect(target or "core:home")
    form = SignUpForm(
        request.POST or None,
        client=client_ip(request),
        initial={"language": translation.get_language()},
    )

    def save(data: dict[str, Any]) -> Done:
        user = services.user_sign_up(
            email=data["email"],
            full_name=data["full_name"],
            password=data["password1"],
            language=data["language"],
        )
        login(request, user)
        translation.activate(user.language)
        response = redirect(target or "courses:my_learning")
        set_language_cookie(response, user.language)
        return Done(_("Welcome to Consilium! Your account is ready."), to=response)

    return form_page(
        request, form, save, template="accounts/sign_up.html", context={"next": target}
    )


def _no_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


@csrf_exempt
@require_POST
@requires(access.Perm.PUBLIC)
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in person keeps the choice in the profile.

    An anonymous visitor's switch only sets a cookie, so it needs no CSRF token (that keeps
    public pages cacheable); a signed-in person's switch changes the profile and is checked.
    """
    user = request.user
    if user.is_authenticated:
        # The callback given must not be csrf_exempt, or the middleware would skip the check.
        rejected = CsrfViewMiddleware(_no_response).process_view(request, _no_response, (), {})
        if rejected is not None:
            return rejected
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("Unknown language")
    if user.is_authenticated:
        services.user_set_language(user=user, language=language)
    translation.activate(language)
    response = redirect(safe_next(request, fallback="/"))
    set_language_cookie(response, language)
    return response


@requires(access.Perm.SIGNED_IN)
def profile(request: AuthedRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> Done:
        user = services.user_update_profile(
            user=request.user, full_name=data["full_name"], language=data["language"]
        )
        response = redirect("accounts:profile")
        if user.language:
            translation.activate(user.language)
            set_language_cookie(response, user.language)
        return Done(_("Your profile is saved."), to=response)

    return form_page(
        request,
        ProfileForm(request.POST or None, instance=request.user),
        save,
        template="accounts/profile.html",
        context=lambda: {"memberships": membership_list_of_user(request.user)},
    )


@requires(Perm.ACCOUNT_TOKENS)
def tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
        )
        messages.success(request, _("Copy the token now: it will not be shown again."))
        form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.all(),
        },
    )


@require_POST
@requires(Perm.ACCOUNT_TOKENS)
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)

    def run(data: dict[str, Any]) -> str:
        services.api_token_revoke(token=token)
        return _("The token “%(name)s” is revoked.") % {"name": token.name}

    return action(request, None, run, to="accounts:tokens")
