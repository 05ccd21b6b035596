"""Certificates of completed courses, the institutions' signing keys and revocation lists.

A certificate is issued once per completed enrolment (a constraint: one certificate per
enrolment that is not superseded). Its signed Open Badges 3.0 credential is stored as issued;
the PDF is rendered from the certificate's snapshot and cached in storage. Each institution has
one Ed25519 key (private half encrypted at rest, see keys.py) and revocation status lists.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consilium.courses.models import LANGUAGE_CHOICES, Course, Enrolment
from consilium.institutions.models import Institution


class SigningKey(models.Model):
    """An institution's Ed25519 key pair; the private key is encrypted with a key derived from
    CERTIFICATES_KEY or SECRET_KEY (keys.py) and never leaves the server."""

    institution = models.OneToOneField(
        Institution,
        on_delete=models.PROTECT,
        related_name="signing_key",
        verbose_name=_("institution"),
    )
    public_key = models.CharField(_("public key (Multikey)"), max_length=64, unique=True)
    private_key_encrypted = models.BinaryField(_("encrypted private key"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.public_key


class IssuerIdentifier(models.Model):
    """A did:web identifier an institution's key has signed under: the installation's host
    is part of it, so a change of SITE_URL adds one, and credentials issued under the old one
    stay verifiable (keys.py)."""

    key = models.ForeignKey(
        SigningKey,
        on_delete=models.CASCADE,
        related_name="identifiers",
        verbose_name=_("signing key"),
    )
    did = models.CharField(_("identifier (DID)"), max_length=255, unique=True)
    first_used_at = models.DateTimeField(_("first used at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issuer identifier")
        verbose_name_plural = _("issuer identifiers")
        ordering = ["key_id", "first_used_at", "pk"]

    def __str__(self) -> str:
        return self.did


class StatusList(models.Model):
    """One Bitstring Status List (revocation) of an institution: 131,072 entries."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="status_lists",
        verbose_name=_("institution"),
    )
    number = models.PositiveIntegerField(_("number"))
    # ``encodedList``: the GZIP-compressed bitstring in base64url (status_list.py).
    encoded = models.TextField(_("encoded list"), editable=False)
    next_index = models.PositiveIntegerField(_("next free entry"), default=0)
    # The signed BitstringStatusListCredential, re-signed at every revocation.
    credential = models.JSONField(_("signed status list"), default=dict, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        ordering = ["institution_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="status_list_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.number}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class Certificate(models.Model):
    id = models.UUIDField(_("identifier"), primary_key=True, default=uuid.uuid4, editable=False)
    # Short verification code (Crockford base32), printed on the PDF.
    code = models.CharField(_("verification code"), max_length=12, unique=True)
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("course")
    )
    issuer = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="issued_certificates",
        verbose_name=_("issuing institution"),
    )
    co_issuers = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="co_issued_certificates",
        verbose_name=_("co-issuing institutions"),
    )
    # Snapshots as they stood at issue.
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    holder_name = models.CharField(_("holder's name"), max_length=200)
    course_title = models.CharField(_("course title"), max_length=300)
    issuer_names = models.JSONField(_("issuer names"), default=list)
    hours = models.PositiveSmallIntegerField(_("hours of effort"))
    credits = models.DecimalField(
        _("continuing-education credits"), max_digits=5, decimal_places=1, default=0
    )
    issued_at = models.DateTimeField(_("issued at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    reissue_reason = models.TextField(_("reason for reissue"), blank=True)
    reissued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reissue requested by"),
    )
    status_list = models.ForeignKey(
        StatusList,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("status list"),
    )
    status_index = models.PositiveIntegerField(_("status list entry"))
    credential = models.JSONField(_("signed credential"), editable=False)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["learner", "-issued_at"], name="certificate_learner_idx"),
            models.Index(fields=["issuer", "-issued_at"], name="certificate_issuer_idx"),
            models.Index(fields=["course", "issued_at"], name="certificate_course_idx"),
        ]
        constraints = [
            # Exactly once: one certificate per enrolment that has not been superseded.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=~Q(status="superseded"),
                name="certificate_once_per_enrolment",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_status_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code
