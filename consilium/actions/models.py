"""Follow-up actions: recommendations, corrective and preventive actions, improvements,
decisions and resolutions, each owned by an institution and a person, with a due date.

An action concerns an object of another app (an agreement, a nonconformity, an event), its
``origin``, linked generically (content type and id) so that this app imports none of them;
the apps register their origins in ``origins.py``. ``topic`` is the part of the origin it is
about (an agreement's priority area). The status follows ``lifecycle.py``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consilium.actions.choices import CHECKED_KINDS, OPEN_STATUSES
from consilium.actions.choices import ActionKind as ActionKind
from consilium.actions.choices import ActionStatus as ActionStatus
from consilium.actions.choices import CheckResult as CheckResult
from consilium.core.choices import label
from consilium.core.models import TimeStampedModel
from consilium.institutions.models import Institution


class Action(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("owner institution"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("responsible person"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    opened_on = models.DateField(_("decided on"), default=timezone.localdate)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    origin_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("origin type"),
    )
    origin_id = models.PositiveBigIntegerField(_("origin id"), null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    topic_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic type"),
    )
    topic_id = models.PositiveBigIntegerField(_("topic id"), null=True, blank=True)
    topic = GenericForeignKey("topic_type", "topic_id")
    # The effectiveness check (for the kinds in CHECKED_KINDS, optional for the others).
    check_criterion = models.TextField(_("effectiveness criterion"), blank=True)
    check_due_on = models.DateField(_("effectiveness judged on"), null=True, blank=True)
    check_result = models.CharField(
        _("effectiveness"), max_length=20, choices=CheckResult.choices, blank=True
    )
    check_note = models.TextField(_("effectiveness note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("judged by"),
    )
    checked_on = models.DateField(_("judged on"), null=True, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("opened_on")),
                name="action_due_after_opened",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DROPPED) | ~Q(drop_reason=""),
                name="action_dropped_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due"),
            models.Index(fields=["institution", "status", "due_on"], name="action_inst_status_due"),
            models.Index(fields=["responsible", "due_on"], name="action_responsible_due"),
            models.Index(fields=["origin_type", "origin_id"], name="action_origin"),
            models.Index(fields=["kind", "status", "due_on"], name="action_kind_status_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return label(ActionKind, self.kind)

    @property
    def status_label(self) -> str:
        return label(ActionStatus, self.status)

    @property
    def check_result_label(self) -> str:
        return label(CheckResult, self.check_result) if self.check_result else ""

    @property
    def needs_check(self) -> bool:
        return self.kind in CHECKED_KINDS

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def text(self) -> str:
        """The whole text: the description when there is one, else the title (what a
        partnership recommendation called its text)."""
        return self.description or self.title


class EvidenceFile(models.Model):
    """A file that shows the work is done, checked by its first bytes like documents."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="files", verbose_name=_("action")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="actions/%Y/%m/")
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
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["action_id", "id"]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """A reminder that was sent, so that each is sent once (any app's: the key says what)."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return self.key
