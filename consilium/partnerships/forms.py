from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consilium.actions.choices import ActionStatus
from consilium.core.forms import StyledFormMixin
from consilium.institutions.models import Institution
from consilium.partnerships import ewp
from consilium.partnerships.choices import (
    AgreementKind,
    AgreementStatus,
    CooperationForm,
    DocumentKind,
    PartyRole,
    WorkKind,
)
from consilium.partnerships.models import Phase, PriorityArea, Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _translated(
    form_class: type[forms.Form],
    base: str,
    label: Any,
    required_en: bool,
    max_length: int | None = 300,
    textarea: bool = False,
) -> None:
    for code, language in settings.LANGUAGES:
        field_class = forms.CharField
        kwargs: dict[str, Any] = {
            "label": format_lazy("{} ({})", label, language),
            "required": required_en and code == "en",
        }
        if textarea:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        else:
            kwargs["max_length"] = max_length
        form_class.base_fields[f"{base}_{code}"] = field_class(**kwargs)


def translations(cleaned: dict[str, Any], base: str) -> dict[str, str]:
    return {code: cleaned.get(f"{base}_{code}") or "" for code, _label in settings.LANGUAGES}


class AgreementEditForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=Programme.objects.order_by("-starts_on")
    )
    phase: forms.ModelChoiceField[Phase] = forms.ModelChoiceField(
        label=_("Phase"), required=False, queryset=Phase.objects.select_related("programme")
    )
    cooperation = forms.MultipleChoiceField(
        label=_("Forms of cooperation"),
        required=False,
        choices=CooperationForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    valid_from = forms.DateField(label=_("In effect from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("In effect until"), required=False, widget=DATE)
    is_public = forms.BooleanField(
        label=_("Visible to the whole network"), required=False, initial=True
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cooperation"].widget.attrs["class"] = "form-check-input"

    def language_fields(self) -> list[forms.BoundField]:
        return [self[f"title_{code}"] for code, _label in settings.LANGUAGES]


_translated(AgreementEditForm, "title", _("Title"), required_en=True)


class PartyForm(StyledFormMixin, forms.Form):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.order_by("name_key"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    signatory = forms.CharField(label=_("Signatory"), max_length=200, required=False)
    signatory_title = forms.CharField(
        label=_("Signatory's position"), max_length=200, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)


class FundingForm(StyledFormMixin, forms.Form):
    source = forms.CharField(label=_("Source"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=16, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        help_text=_("Three letters, e.g. KZT, USD, EUR."),
    )
    period_start = forms.DateField(label=_("From"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Until"), required=False, widget=DATE)


PartyFormSet = forms.formset_factory(
    PartyForm, extra=0, min_num=2, validate_min=True, max_num=20, validate_max=True
)
FundingFormSet = forms.formset_factory(FundingForm, extra=1, max_num=20, validate_max=True)


class TransitionForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RenewForm(StyledFormMixin, forms.Form):
    valid_from = forms.DateField(label=_("New period from"), widget=DATE)
    valid_until = forms.DateField(label=_("New period until"), required=False, widget=DATE)


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG or JPEG, up to 20 MB."))


class AnalysisForm(StyledFormMixin, forms.Form):
    area: forms.ModelChoiceField[PriorityArea] = forms.ModelChoiceField(
        label=_("Priority area"), queryset=PriorityArea.objects.none()
    )
    situation = forms.CharField(
        label=_("Current situation"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, programme: Programme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programme is not None:
            self.fields["area"].queryset = programme.priority_areas.all()  # type: ignore[attr-defined]


class RecommendationForm(StyledFormMixin, forms.Form):
    area: forms.ModelChoiceField[PriorityArea] = forms.ModelChoiceField(
        label=_("Priority area"), queryset=PriorityArea.objects.none(), required=False
    )
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args: Any, programme: Programme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programme is not None:
            self.fields["area"].queryset = programme.priority_areas.all()  # type: ignore[attr-defined]


class RecommendationUpdateForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)


class WorkItemForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkKind.choices)
    period = forms.CharField(
        label=_("Period"), max_length=40, help_text=_("For example 2016 or 2017–2018.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    planned = forms.CharField(
        label=_("Planned"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    done = forms.CharField(
        label=_("Done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_done = forms.BooleanField(label=_("Achieved"), required=False)
    evidence = forms.CharField(label=_("Evidence"), required=False)


class ProgrammeForm(StyledFormMixin, forms.Form):
    owner: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Run by"), queryset=Institution.objects.order_by("kind", "name_key")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    funding_frame = forms.CharField(
        label=_("Funding frame"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot come before the start."))
        return cleaned


_translated(ProgrammeForm, "title", _("Title"), required_en=True)
_translated(ProgrammeForm, "description", _("Description"), required_en=False, textarea=True)


class PhaseForm(StyledFormMixin, forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=200, required=False)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=200, required=False)
    title_uk = forms.CharField(label=_("Title (Ukrainian)"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot come before the start."))
        return cleaned


class AreaForm(StyledFormMixin, forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=200, required=False)
    name_uk = forms.CharField(label=_("Name (Ukrainian)"), max_length=200, required=False)


class FunderForm(StyledFormMixin, forms.Form):
    source = forms.CharField(label=_("Source"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, required=False)


class IiaUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("IIA file (XML)"),
        help_text=_(
            "An EWP Interinstitutional Agreements get response, version 7, of at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        too_big = gettext("The file is larger than %(size)s MB.") % {
            "size": ewp.MAX_UPLOAD_BYTES // (1024 * 1024)
        }
        if upload.size > ewp.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_big)
        data: bytes = upload.read(ewp.MAX_UPLOAD_BYTES + 1)
        if len(data) > ewp.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_big)
        return data
