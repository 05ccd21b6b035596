from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from consilium.accounts import services
from consilium.accounts.models import EventKind, User
from consilium.accounts.services import SignInRefusal
from consilium.core.forms import StyledFormMixin
from consilium.core.http import client_ip

if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]
else:  # generic only in django-stubs: at run time the class cannot be subscripted
    _SetPasswordForm = SetPasswordForm


def _signin_refused(refusal: SignInRefusal) -> forms.ValidationError:
    minutes = max(1, settings.LOGIN_RATE_WINDOW // 60)
    if refusal is SignInRefusal.NETWORK:
        message = ngettext(
            "Too many failed sign-ins from your network. Wait %(minutes)s minute and try again.",
            "Too many failed sign-ins from your network. Wait %(minutes)s minutes and try again.",
            minutes,
        )
    else:
        message = ngettext(
            "Too many failed attempts. Wait %(minutes)s minute and try again.",
            "Too many failed attempts. Wait %(minutes)s minutes and try again.",
            minutes,
        )
    return forms.ValidationError(message, code="throttled", params={"minutes": minutes})


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form behind the sign-in throttle (``services.signin_attempt``): the
    sign-in page's and the admin's (``AdminSignInForm``). An attempt is admitted or refused
    before its password is checked; a wrong password counts, a right one forgives."""

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        if not (email and self.cleaned_data.get("password")):
            return super().clean()  # no password is checked: nothing to count
        client = client_ip(self.request) if self.request else ""
        refusal = services.signin_attempt(email=email, client=client)
        if refusal is not None:
            raise _signin_refused(refusal)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.user_cache is None:  # a wrong password (or an inactive account)
                services.signin_failed(email=email, client=client)
            else:  # the right password of someone not let in here (the admin's: not staff)
                services.signin_succeeded(email=email, client=client)
            raise
        services.signin_succeeded(email=email, client=client)
        return cleaned


def code_refused(outcome: services.CodeCheck) -> forms.ValidationError:
    """The error of a code that did not let the person in."""
    if outcome is services.CodeCheck.NETWORK:
        return _signin_refused(SignInRefusal.NETWORK)
    if outcome is services.CodeCheck.ACCOUNT:
        return _signin_refused(SignInRefusal.ACCOUNT)
    return forms.ValidationError(_("This code is not right."), code="wrong_code")


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=20,
        strip=True,
        help_text=_("The six digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


class AdminSignInForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in (``admin.site.login_form``), behind the same throttle. A person
    with a second factor gives its code in the same form (``accounts/admin_login.html``)."""

    code = forms.CharField(label=_("Code"), max_length=20, required=False, strip=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and services.second_factor_is_on(user):
            code = cleaned.get("code") or ""
            if not code:
                raise forms.ValidationError(
                    _("Enter the code from your authenticator app."), code="code_needed"
                )
            client = client_ip(self.request) if self.request else ""
            outcome = services.second_factor_verify(user=user, code=code, client=client)
            if outcome not in (services.CodeCheck.PASSED, services.CodeCheck.RECOVERY):
                raise code_refused(outcome)
        return cleaned


class SignInForm(StyledFormMixin, ThrottledAuthenticationForm):
    """E-mail and password, behind the sign-in throttle."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is not right."),
    }


class ProfileForm(StyledFormMixin, forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["full_name", "language"]


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “nightly export script”."),
    )


class ResetRequestForm(StyledFormMixin, forms.Form):
    """The address to send a reset link to; ``services.password_reset_request`` queues the
    mail (Django's own form would send it during the request)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class NewPasswordForm(StyledFormMixin, _SetPasswordForm):
    """The new password after a reset link; saved by the service that also revokes the
    person's API tokens and forgets their failed sign-ins (from the client's address)."""

    def __init__(self, *args: Any, client: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def save(self, commit: bool = True) -> User:
        return services.user_password_reset(
            user=self.user, password=self.cleaned_data["new_password1"], client=self.client
        )


class SignUpForm(StyledFormMixin, forms.Form):
    """A new account: e-mail, full name, language and the password twice (Django's password
    validators apply). Failed attempts per client address are limited (SIGNUP_RATE_LIMIT);
    successful ones are not counted, so a class signing up behind one address is not
    stopped."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, client: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        # Built here, not at import, so that the rules read in the visitor's language.
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists. Sign in instead."),
                code="exists",
            )
        return email

    def clean_full_name(self) -> str:
        name: str = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("This field is required."), code="required")
        return name

    def clean(self) -> dict[str, Any]:
        if services.signup_blocked(client=self.client):
            minutes = max(1, settings.LOGIN_RATE_WINDOW // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many attempts. Wait %(minutes)s minute and try again.",
                    "Too many attempts. Wait %(minutes)s minutes and try again.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            candidate = User(
                email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or ""
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.errors and not self.has_error(NON_FIELD_ERRORS, "throttled"):
            services.signup_failed(client=self.client)


class SignInCodeForm(StyledFormMixin, forms.Form):
    """The second step of signing in: the authenticator app's code or a recovery code."""

    code = _code_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True


class SecondFactorConfirmForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorDisableForm(StyledFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field()


class SecuritySettingsForm(StyledFormMixin, forms.Form):
    require_second_factor = forms.BooleanField(
        label=_("Administrators must use a second factor"),
        required=False,
        help_text=_(
            "Network and institution administrators without one are sent to set it up "
            "before anything else."
        ),
    )


class SecurityEventFilterForm(StyledFormMixin, forms.Form):
    """The audit log's filters (all optional)."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    actor = forms.CharField(label=_("Actor's e-mail address"), required=False, max_length=254)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All kinds")), *EventKind.choices]
