from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consilium.core.choices import label
from consilium.core.models import TimeStampedModel
from consilium.core.roles import Role
from consilium.institutions.countries import COUNTRIES


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College")
    CLINICAL_CENTRE = "clinical_centre", _("Clinical centre")
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    OTHER = "other", _("Other")


class Institution(TimeStampedModel):
    """A university, college, clinical centre, ministry or agency; a branch has a parent.

    ``name``, ``short_name`` and ``city`` have a column per language (modeltranslation,
    see translation.py). ``search_text`` holds the search keys of every name and alias and is
    rebuilt by the services on every write.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("parent institution"),
        help_text=_("Set for a branch: the institution it belongs to."),
    )
    website = models.URLField(_("website"), blank=True)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other spellings and former names, one per line; they are searched too."),
    )
    name_key = models.CharField(_("name key"), max_length=300, editable=False)
    search_text = models.TextField(_("search text"), editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "name_key"])

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name_key"], name="institution_unique_name_per_country"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="institution_not_own_parent"
            ),
        ]
        indexes = [
            models.Index(fields=["name_key", "id"], name="institution_name_order"),
            models.Index(fields=["kind", "name_key"]),
            models.Index(fields=["country", "name_key"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return label(InstitutionKind, self.kind)

    @property
    def country_label(self) -> str:
        return label(COUNTRIES, self.country)

    @property
    def english_name(self) -> str:
        """The name in English (the name_en column modeltranslation adds), never None."""
        return getattr(self, "name_en", None) or ""

    @property
    def display_short(self) -> str:
        return self.short_name or self.name


class SearchWord(models.Model):
    """One word of an institution's search keys: the index the directory search runs on.

    A query word matches the institutions that have a word starting with it (a range scan on
    the index, on SQLite and PostgreSQL alike); see core/text.py for how words are folded.
    """

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="search_words",
        verbose_name=_("institution"),
    )
    word = models.CharField(_("word"), max_length=60)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [
            models.UniqueConstraint(fields=["word", "institution"], name="search_word_unique"),
        ]

    def __str__(self) -> str:
        return self.word


class Membership(models.Model):
    """A person's role at an institution; one person may hold many."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("position"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["institution_id", "user__full_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["institution", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.role_label} · {self.institution}"

    @property
    def role_label(self) -> str:
        return label(Role, self.role)


class Invitation(models.Model):
    """An invitation by e-mail to join an institution with a role."""

    email = models.EmailField(_("e-mail address"))
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    # The link's token, encrypted (core/crypto.py) until the invitation e-mail is sent, so the
    # queued task carries the invitation's id only; emptied once the mail is sent.
    token_sealed = models.BinaryField(_("sealed token"), blank=True, default=b"")
    language = models.CharField(_("language"), max_length=10, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "institution", "role"],
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.institution} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None
