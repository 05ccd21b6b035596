from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from consilium.core.forms import StyledFormMixin
from consilium.core.roles import Role
from consilium.institutions.countries import COUNTRIES
from consilium.institutions.models import Institution, InstitutionKind


class InstitutionForm(StyledFormMixin, forms.Form):
    """Names in four languages plus the plain fields; the service does the validation."""

    kind = forms.ChoiceField(label=_("Kind"), choices=InstitutionKind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    parent: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Branch of"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("Leave empty unless this is a branch of another institution."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Other spellings and former names, one per line; they are searched too."),
    )

    def __init__(self, *args: Any, instance: Institution | None = None, **kwargs: Any) -> None:
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            for name in self.translated_names():
                initial[name] = getattr(instance, name) or ""
            initial.update(
                kind=instance.kind,
                country=instance.country,
                parent=instance.parent_id,
                website=instance.website,
                aliases=instance.aliases,
            )
        super().__init__(*args, initial=initial, **kwargs)
        parents = Institution.objects.filter(parent__isnull=True).order_by("name_key")
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.instance = instance

    @staticmethod
    def translated_names() -> list[str]:
        return [
            f"{base}_{code}"
            for base in ("name", "short_name", "city")
            for code, _label in settings.LANGUAGES
        ]

    def language_groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """Fields grouped by language for the template: (code, language, fields)."""
        return [
            (
                code,
                str(language),
                [self[f"{base}_{code}"] for base in ("name", "short_name", "city")],
            )
            for code, language in settings.LANGUAGES
        ]


for _base, _label, _required, _length in (
    ("name", _("Name"), True, 300),
    ("short_name", _("Short name"), False, 60),
    ("city", _("City"), False, 120),
):
    for _code, _language in settings.LANGUAGES:
        InstitutionForm.base_fields[f"{_base}_{_code}"] = forms.CharField(
            label=format_lazy("{} ({})", _label, _language),
            required=_required and _code == "en",
            max_length=_length,
        )


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("The first row names the columns. Export the directory to get a template."),
    )


class InvitationForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: list[tuple[str, Any]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [("", _("Choose a role…")), *roles]  # type: ignore[attr-defined]


class RoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(StyledFormMixin, forms.Form):
    """For a newcomer: the account is created from these."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from consilium.accounts.models import User

            try:
                validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
