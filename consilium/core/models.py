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
