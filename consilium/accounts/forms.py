from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from consilium.accounts import services
from consilium.accounts.models import User
from consilium.core.forms import StyledFormMixin


class SignInForm(StyledFormMixin, AuthenticationForm):
    """E-mail and password, with a limit on failed attempts per address and per client."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is not right."),
    }

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username") or ""
        client = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if email and services.signin_blocked(email=email, client=client):
            minutes = max(1, settings.LOGIN_RATE_WINDOW // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed attempts. Wait %(minutes)s minute and try again.",
                    "Too many failed attempts. Wait %(minutes)s minutes and try again.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                services.signin_failed(email=email, client=client)
            raise
        services.signin_succeeded(email=email, client=client)
        return cleaned


class ProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “nightly export script”."),
    )


class ResetRequestForm(StyledFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(StyledFormMixin, SetPasswordForm):
    pass
