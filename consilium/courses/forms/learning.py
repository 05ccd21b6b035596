"""Forms of learning: the language variant to learn in, and a quiz attempt."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consilium.courses.models import LANGUAGE_CHOICES, CourseVariant, Quiz
from consilium.courses.selectors.catalog import variant_ids_with_lessons
from consilium.courses.services.learning import empty_variant_message

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
LANGUAGE_ORDER = [code for code, _name in LANGUAGE_CHOICES]


class VariantForm(forms.Form):
    """Which of the course's language variants to learn in: only those with lessons are
    offered (one without is a translation in progress), and one sent anyway is refused with
    a message that says so."""

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
        self.with_lessons = variant_ids_with_lessons({v.course_id for v in variants})
        # Offered: the variants with lessons; the queryset keeps every variant of the course,
        # so that an empty one sent anyway gets its own message in clean_variant.
        field.choices = [  # type: ignore[attr-defined]
            (v.pk, LANGUAGE_NAMES.get(v.language, v.language))
            for v in sorted(variants, key=lambda v: LANGUAGE_ORDER.index(v.language))
            if v.pk in self.with_lessons
        ]

    @property
    def offered_count(self) -> int:
        return len(self.fields["variant"].choices)  # type: ignore[attr-defined]

    def clean_variant(self) -> CourseVariant:
        variant: CourseVariant = self.cleaned_data["variant"]
        if variant.pk not in self.with_lessons:
            raise forms.ValidationError(empty_variant_message(variant))
        return variant


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
