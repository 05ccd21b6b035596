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
