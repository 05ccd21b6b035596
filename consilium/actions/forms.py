"""The forms of the actions pages (each one's ``cleaned_data`` goes to a service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consilium.accounts.models import User
from consilium.actions.choices import ActionKind, ActionStatus, CheckResult
from consilium.core.forms import StyledFormMixin
from consilium.institutions.models import Institution

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(StyledFormMixin, forms.Form):
    """Record an action, or change one (``kind`` and ``institution`` only when recording)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Owner institution"), queryset=Institution.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)
    check_criterion = forms.CharField(
        label=_("Effectiveness criterion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for corrective and preventive actions: how it will be judged."),
    )
    check_due_on = forms.DateField(label=_("Effectiveness judged on"), required=False, widget=DATE)

    def __init__(
        self,
        *args: Any,
        institutions: Any = None,
        people: Any = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            del self.fields["institution"]
        else:
            self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = people  # type: ignore[attr-defined]


class TransitionForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    drop_reason = forms.CharField(label=_("Reason for dropping"), required=False)


class JudgeForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("Effectiveness"), choices=CheckResult.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_due_on = forms.DateField(
        label=_("Due date of the new action"), required=False, widget=DATE
    )


class EvidenceForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))
