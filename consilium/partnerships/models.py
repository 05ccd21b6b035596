"""Programmes with phases, agreements between institutions and everything they carry.

Seeds 001/002 (Kazakhstan's strategic partnership programme) and 003 (a clinical centre's
memoranda with colleges). The agreement status is a state machine declared in lifecycle.py;
every change goes through services/; the fixed lists are in choices.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consilium.core.choices import label
from consilium.core.models import TimeStampedModel
from consilium.institutions.models import Institution

# Re-exported ("X as X"): other apps, the demo and tests read the choices from here too.
from consilium.partnerships.choices import AgreementKind as AgreementKind
from consilium.partnerships.choices import AgreementStatus as AgreementStatus
from consilium.partnerships.choices import CooperationForm as CooperationForm
from consilium.partnerships.choices import DocumentKind as DocumentKind
from consilium.partnerships.choices import PartyRole as PartyRole
from consilium.partnerships.choices import WorkKind as WorkKind


class Programme(TimeStampedModel):
    """A funded frame for many agreements, e.g. a strategic partnership programme."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("run by"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    funding_frame = models.TextField(
        _("funding frame"),
        blank=True,
        help_text=_("Who funds the programme and how, e.g. World Bank and ministry co-funding."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="phases", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="phase_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PriorityArea(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="priority_areas",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["programme_id", "id"]

    def __str__(self) -> str:
        return self.name


class ProgrammeFunder(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="funders", verbose_name=_("programme")
    )
    source = models.CharField(_("source"), max_length=200)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("programme funder")
        verbose_name_plural = _("programme funders")
        ordering = ["programme_id", "id"]

    def __str__(self) -> str:
        return self.source


class Agreement(TimeStampedModel):
    """An agreement between two or more institutions, from proposal to results.

    The negotiable content (titles, dates, forms, parties' signatories, funding) lives in the
    agreement itself; every saved edit of a draft is also frozen as an AgreementVersion with a
    hash of its content, which the parties approve.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=60, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("programme"),
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("phase"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.PROPOSED,
    )
    summary = models.TextField(_("summary"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("in effect from"), null=True, blank=True)
    valid_until = models.DateField(_("in effect until"), null=True, blank=True)
    is_public = models.BooleanField(
        _("visible to the network"),
        default=True,
        help_text=_("Members of other institutions may read it; documents stay with the parties."),
    )
    renewal_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renewal of"),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="agreement_newest_first"),
            # The list's filters, each already in the list's order (no sort of all matches).
            models.Index(fields=["status", "-created_at", "-id"], name="agreement_status_newest"),
            models.Index(fields=["kind", "-created_at", "-id"], name="agreement_kind_newest"),
            models.Index(
                fields=["programme", "-created_at", "-id"], name="agreement_programme_newest"
            ),
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["programme", "phase"]),
            models.Index(fields=["kind", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return label(AgreementStatus, self.status)

    @property
    def kind_label(self) -> str:
        return label(AgreementKind, self.kind)


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    signatory = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's position"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution"], name="party_once_per_agreement"
            ),
        ]
        indexes = [models.Index(fields=["institution", "agreement"])]

    def __str__(self) -> str:
        return f"{self.institution} ({self.role_label})"

    @property
    def role_label(self) -> str:
        return label(PartyRole, self.role)


class AgreementForm(models.Model):
    """A form of cooperation an agreement provides for (one row per form)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="forms", verbose_name=_("agreement")
    )
    form = models.CharField(
        _("form of cooperation"), max_length=20, choices=CooperationForm.choices
    )

    class Meta:
        verbose_name = _("form of cooperation")
        verbose_name_plural = _("forms of cooperation")
        ordering = ["agreement_id", "form"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "form"], name="form_once_per_agreement"),
        ]
        indexes = [models.Index(fields=["form", "agreement"])]

    def __str__(self) -> str:
        return self.form_label

    @property
    def form_label(self) -> str:
        return label(CooperationForm, self.form)


class FundingLine(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="funding_lines",
        verbose_name=_("agreement"),
    )
    source = models.CharField(_("source"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["agreement_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount} {self.currency}"


class AgreementVersion(models.Model):
    """A frozen draft: its content and the hash every party approves (cf. EWP iia-hash)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("agreement")
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["agreement_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"v{self.number} ({self.content_hash[:8]})"


class Approval(models.Model):
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("version"),
    )
    party = models.ForeignKey(
        AgreementParty,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("party"),
    )
    content_hash = models.CharField(_("approved hash"), max_length=64)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="approval_once_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.party} ✓ {self.version}"


class Transition(models.Model):
    """One step of the lifecycle: who moved the agreement from what to what, and when."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("agreement"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=AgreementStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=AgreementStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["agreement_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Document(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to="agreements/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["agreement_id", "kind", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "title", "version"], name="document_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class SituationAnalysis(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("agreement")
    )
    area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,
        related_name="analyses",
        verbose_name=_("priority area"),
    )
    situation = models.TextField(_("current situation"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("situation analysis")
        verbose_name_plural = _("situation analyses")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "area"], name="analysis_once_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.area}"


class WorkItem(TimeStampedModel):
    """A goal, activity or result of an agreement for a period (a phase or a year range)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="work_items",
        verbose_name=_("agreement"),
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("phase"),
    )
    period = models.CharField(
        _("period"), max_length=40, help_text=_("For example 2016 or 2017–2018.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=WorkKind.choices)
    title = models.CharField(_("title"), max_length=300)
    planned = models.TextField(_("planned"), blank=True)
    done = models.TextField(_("done"), blank=True)
    is_done = models.BooleanField(_("done"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("goal, activity or result")
        verbose_name_plural = _("goals, activities and results")
        ordering = ["agreement_id", "period", "kind", "id"]

    def __str__(self) -> str:
        return self.title
