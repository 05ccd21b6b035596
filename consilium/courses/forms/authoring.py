"""Forms of course authoring and review. They check types; the services check the rules."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from consilium.core.forms import StyledFormMixin
from consilium.core.html import video_host_error, video_hosts_help
from consilium.courses.models import (
    LANGUAGE_CHOICES,
    Audience,
    Course,
    CourseStatus,
    Discipline,
    LessonKind,
    Level,
    Pacing,
    RubricCriterion,
    TranslationStatus,
    Verdict,
)
from consilium.courses.policy import eligible_reviewers
from consilium.courses.selectors.authoring import institution_list_for_author, review_last_approver
from consilium.courses.services.authoring import MAX_CHOICES, LessonData, RunData
from consilium.institutions.models import Institution

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewerField(forms.ModelChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


def with_reviewer(form: forms.Form, course: Course, *, required: bool = False) -> None:
    """Add the methodologist and note fields a major change of a published course needs."""
    if not required and course.status != CourseStatus.PUBLISHED:
        return
    latest = review_last_approver(course)
    form.fields["reviewer"] = ReviewerField(
        label=_("Methodologist"),
        queryset=eligible_reviewers(course),
        required=required,
        initial=latest.pk if latest else None,
        help_text=_(
            "The course is published: removing or adding content, or changing answers, scores "
            "or the course's settings, sends it back to this methodologist for review."
        )
        if not required
        else "",
    )
    form.fields["note"] = forms.CharField(
        label=_("Note to the methodologist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    form.fields["reviewer"].widget.attrs["class"] = "form-select"


def review_arguments(form: forms.BaseForm) -> dict[str, Any]:
    """The methodologist and note a form asked for, as its service's keyword arguments (none
    when it did not ask: the services' defaults are no methodologist and no note)."""
    if "reviewer" not in form.fields:
        return {}
    data = form.cleaned_data
    return {"reviewer": data.get("reviewer"), "note": data.get("note") or ""}


class CourseItemForm(StyledFormMixin, forms.Form):
    """A form about one part of a course: a variant, a module, a lesson, a quiz, a question, a
    run, or the confirmation of a removal.

    A new part (the default) may be a major change of a published course, so the form asks
    for the methodologist (``with_reviewer``) unless the part is never reviewed
    (``reviewed = False``). ``new=False`` edits a part: the fields only a new part has
    (``new_only``) are dropped, and the methodologist is asked for only where an edit is a
    major change too (``major_edit``). ``initial_for(part)`` starts an edit from the part's
    ``edited`` attributes; ``arguments()`` is what the form's service is called with.
    """

    new_only: ClassVar[tuple[str, ...]] = ()
    edited: ClassVar[tuple[str, ...]] = ()
    reviewed: ClassVar[bool] = True
    major_edit: ClassVar[bool] = False

    def __init__(self, *args: Any, course: Course, new: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        if not new:
            for name in self.new_only:
                del self.fields[name]
        if self.reviewed and (new or self.major_edit):
            with_reviewer(self, course)

    @classmethod
    def initial_for(cls, part: Any) -> dict[str, Any]:
        """The form's initial values to edit ``part``."""
        return {name: getattr(part, name) for name in cls.edited}

    def values(self) -> dict[str, Any]:
        """The form's own fields as its service's keyword arguments."""
        return {}

    def arguments(self) -> dict[str, Any]:
        return {**self.values(), **review_arguments(self)}

    def _cleaned(self, *names: str) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in names if name in self.fields}


class CourseForm(StyledFormMixin, forms.Form):
    """The course's settings; on creation also the owner and the first variant's texts."""

    owner: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Owner institution"), queryset=Institution.objects.none()
    )
    co_authors: forms.ModelMultipleChoiceField[Institution] = forms.ModelMultipleChoiceField(
        label=_("Co-authoring institutions"),
        queryset=Institution.objects.order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    discipline: forms.ModelChoiceField[Discipline] = forms.ModelChoiceField(
        label=_("Discipline"), queryset=Discipline.objects.all()
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    hours = forms.IntegerField(label=_("Hours of effort"), min_value=1, max_value=32000)
    credits = forms.DecimalField(
        label=_("Continuing-education credits"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
        initial=0,
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas.")
    )
    language = forms.ChoiceField(label=_("Original language"), choices=LANGUAGE_CHOICES)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if course is None:
            self.fields["owner"].queryset = institution_list_for_author(user)  # type: ignore[attr-defined]
            del self.fields["revision"]
        else:
            for name in ("owner", "language", "title", "summary", "description"):
                del self.fields[name]
            with_reviewer(self, course)
            self.fields["co_authors"].queryset = Institution.objects.exclude(  # type: ignore[attr-defined]
                pk=course.owner_id
            ).order_by("name_en")


class VariantForm(CourseItemForm):
    new_only = ("language",)
    edited = ("title", "summary", "description", "translation_status")

    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    translation_status = forms.ChoiceField(
        label=_("Translation status"),
        choices=TranslationStatus.choices,
        initial=TranslationStatus.IN_PROGRESS,
    )

    def __init__(self, *args: Any, course: Course, new: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, course=course, new=new, **kwargs)
        if new:
            have = {v.language for v in course.variants.all()}
            self.fields["language"].choices = [  # type: ignore[attr-defined]
                (code, name) for code, name in LANGUAGE_CHOICES if code not in have
            ]

    def values(self) -> dict[str, Any]:
        return self._cleaned("language", "title", "summary", "description", "translation_status")


class ModuleForm(CourseItemForm):
    edited = ("title",)

    title = forms.CharField(label=_("Module title"), max_length=300)

    def values(self) -> dict[str, Any]:
        return self._cleaned("title")


class DeleteForm(CourseItemForm):
    """Confirms a removal; a published course also needs the methodologist."""


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


def video_host_validator(url: str) -> None:
    """A video lesson's address is one the player may embed (``VIDEO_HOSTS``)."""
    if url and (problem := video_host_error(url)):
        raise forms.ValidationError(problem, code="video_host")


class LessonForm(CourseItemForm):
    new_only = ("kind",)
    edited = ("title", "body", "video_url", "link_url", "required")

    kind = forms.ChoiceField(label=_("Kind"), choices=LessonKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "HTML is allowed: headings, paragraphs, lists, emphasis, links, tables and https "
            "images. Scripts and styles are removed."
        ),
    )
    video_url = forms.URLField(
        label=_("Video address"),
        required=False,
        assume_scheme="https",
        help_text=video_hosts_help,
        validators=[video_host_validator],
    )
    link_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, PNG or JPEG, up to 20 MB.")
    )
    required = forms.BooleanField(label=_("Required for completion"), required=False, initial=True)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        lesson = LessonData(
            title=data["title"],
            body=data["body"],
            video_url=data["video_url"],
            link_url=data["link_url"],
            upload=self.files.get("file"),
            required=data["required"],
        )
        return {**self._cleaned("kind"), "data": lesson}


class QuizForm(CourseItemForm):
    edited = ("passing_score", "max_attempts")
    major_edit = True

    passing_score = forms.IntegerField(label=_("Passing score, %"), min_value=1, max_value=100)
    max_attempts = forms.IntegerField(label=_("Attempts allowed"), min_value=1, max_value=100)

    def values(self) -> dict[str, Any]:
        return self._cleaned("passing_score", "max_attempts")


class QuestionForm(CourseItemForm):
    """A question and up to MAX_CHOICES answer choices (blank ones are skipped)."""

    major_edit = True  # changing the answers changes what learners are scored on

    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    multiple = forms.BooleanField(label=_("Several answers may be right"), required=False)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, course=course, **kwargs)
        for number in range(1, MAX_CHOICES + 1):
            self.fields[f"choice_{number}"] = forms.CharField(
                label=_("Answer %(number)s") % {"number": number},
                max_length=500,
                required=False,
            )
            self.fields[f"correct_{number}"] = forms.BooleanField(
                label=_("Correct"), required=False
            )
        # StyledFormMixin styled the declared fields only: style the added ones too.
        for number in range(1, MAX_CHOICES + 1):
            self.fields[f"choice_{number}"].widget.attrs["class"] = "form-control"
            self.fields[f"correct_{number}"].widget.attrs["class"] = "form-check-input"

    def choice_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"choice_{n}"], self[f"correct_{n}"]) for n in range(1, MAX_CHOICES + 1)]

    def choices(self) -> list[tuple[str, bool]]:
        data = self.cleaned_data
        return [
            (data.get(f"choice_{n}") or "", bool(data.get(f"correct_{n}")))
            for n in range(1, MAX_CHOICES + 1)
        ]

    def values(self) -> dict[str, Any]:
        return {**self._cleaned("text", "multiple"), "choices": self.choices()}

    @classmethod
    def initial_for(cls, question: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"text": question.text, "multiple": question.multiple}
        for number, choice in enumerate(question.choices.all(), start=1):
            initial[f"choice_{number}"] = choice.text
            initial[f"correct_{number}"] = choice.correct
        return initial


class RunForm(CourseItemForm):
    reviewed = False  # a run is not a change of the course's content
    edited = (
        "starts_on",
        "ends_on",
        "enrolment_opens_on",
        "enrolment_closes_on",
        "pacing",
        "capacity",
    )

    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    enrolment_opens_on = forms.DateField(label=_("Enrolment opens on"), widget=DATE)
    enrolment_closes_on = forms.DateField(
        label=_("Enrolment closes on"), required=False, widget=DATE
    )
    pacing = forms.ChoiceField(label=_("Pacing"), choices=Pacing.choices)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        run = RunData(
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            enrolment_opens_on=data["enrolment_opens_on"],
            enrolment_closes_on=data["enrolment_closes_on"],
            pacing=data["pacing"],
            capacity=data["capacity"],
        )
        return {"data": run}


class SubmitForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note to the methodologist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_reviewer(self, course, required=True)
        self.order_fields(["reviewer", "note"])


class DecideForm(StyledFormMixin, forms.Form):
    """A score and a comment for each active criterion, the verdict and the overall comment."""

    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[
            (Verdict.APPROVED, _("Approve and publish")),
            (Verdict.CHANGES_REQUESTED, _("Request changes")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes."),
    )

    def __init__(self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["verdict"].widget.attrs["class"] = "form-check-input"
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                widget=forms.NumberInput(attrs={"class": "form-control", "style": "width:6rem"}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def rows(self) -> list[tuple[RubricCriterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"score_{c.pk}"), data.get(f"comment_{c.pk}") or "")
            for c in self.criteria
        }
