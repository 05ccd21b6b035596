"""Forms of certificate pages: verify, revoke, reissue, and the institution list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consilium.certificates.models import CertificateStatus
from consilium.certificates.services import REASON_MAX
from consilium.certificates.verification import MAX_CREDENTIAL_BYTES
from consilium.core.forms import StyledFormMixin


class VerifyForm(StyledFormMixin, forms.Form):
    """A code (or the public page's address), a pasted credential, or an uploaded file."""

    credential = forms.CharField(
        label=_("Paste a credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    file = forms.FileField(label=_("Or upload a credential file (.json)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d KB.") % {"size": MAX_CREDENTIAL_BYTES // 1024}
            )
        return upload

    def clean_credential(self) -> str:
        text: str = self.cleaned_data.get("credential", "")
        if len(text.encode("utf-8")) > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(
                _("The credential is larger than %(size)d KB.")
                % {"size": MAX_CREDENTIAL_BYTES // 1024}
            )
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        empty = not data.get("credential", "").strip() and not data.get("file")
        if empty and not self.errors:
            raise forms.ValidationError(_("Paste a credential or choose a file."))
        return data

    def payload(self) -> bytes:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return bytes(upload.read(MAX_CREDENTIAL_BYTES + 1))
        return str(self.cleaned_data["credential"]).encode("utf-8")


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CertificateFilter(StyledFormMixin, forms.Form):
    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *CertificateStatus.choices],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, courses: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", _("Any course")), *courses]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {
            "course_id": self.cleaned_data.get("course"),
            "status": self.cleaned_data.get("status") or "",
            "year": self.cleaned_data.get("year"),
        }
