"""Forms of learning: the language variant to learn in, and a quiz attempt."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consilium.courses.models import LANGUAGE_CHOICES, CourseVariant, Quiz

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


class VariantForm(forms.Form):
    """Which of the course's language variants to learn in."""

    variant = forms.ModelChoiceField(
        label=_("Language of the course"),
        queryset=CourseVariant.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of this course's languages.")},
    )

    def __init__(self, *args: Any, variants: list[CourseVariant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["variant"]
        field.queryset = CourseVariant.objects.filter(pk__in=[v.pk for v in variants])  # type: ignore[attr-defined]
        field.label_from_instance = lambda v: LANGUAGE_NAMES.get(v.language, v.language)  # type: ignore[attr-defined]
        field.widget.attrs["class"] = "form-select"


class QuizForm(forms.Form):
    """One field per question: radio buttons for one answer, checkboxes for several."""

    def __init__(self, *args: Any, quiz: Quiz, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(quiz.questions.prefetch_related("choices"))
        for question in self.questions:
            choices = [(c.pk, c.text) for c in question.choices.all()]
            field: forms.Field
            if question.multiple:
                field = forms.TypedMultipleChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                    required=False,
                    help_text=_("Choose every right answer."),
                )
            else:
                field = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    required=False,
                )
            field.label = question.text
            field.error_messages["invalid_choice"] = _("Choose one of the answers shown.")
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, list[int]]:
        """The answers as the grading service takes them: question id to choice ids."""
        result: dict[int, list[int]] = {}
        for question in self.questions:
            value: Any = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            result[question.pk] = [int(v) for v in value] if isinstance(value, list) else [value]
        return result
