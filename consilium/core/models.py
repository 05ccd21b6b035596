from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ContentVersion(models.Model):
    """A counter per kind of public content, bumped by the services on every write.

    Cached public pages and API answers carry the version in their key, so a write makes every
    worker's copies stale at once without any cache being shared between them.
    """

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Throttle(models.Model):
    """A counter of attempts under one key in a window that starts at its first hit.

    The store of every rate limit (``core/throttle.py``): in the database, so that all web
    workers count together. Keys are keyed hashes (``throttle.key``), never an e-mail address
    or an IP address in clear.
    """

    key = models.CharField(_("key"), max_length=150, unique=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    window_started_at = models.DateTimeField(_("window started at"), db_index=True)

    class Meta:
        verbose_name = _("throttle")
        verbose_name_plural = _("throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long piece of work (a large import) done by the task worker for one person, with its
    progress, so a page can show a progress bar and then the result (``core/jobs.py``).

    The task that runs it carries the job's id only; the uploaded file waits in ``payload`` and
    is dropped when the job ends. ``result`` is what the app's runner returned (JSON).
    """

    kind = models.CharField(_("kind"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    payload = models.BinaryField(_("payload"), blank=True, default=b"")
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["user", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class IdempotencyKey(models.Model):
    """A form's or an API client's one-time key for a create: the first request with the key
    makes the object and records it here; a repeat (a double click, a retry) finds the row and
    gets the same object instead of a second one (``core/idempotency.py``)."""

    scope = models.CharField(_("scope"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    key = models.CharField(_("key"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["scope", "user", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
