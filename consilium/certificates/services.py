"""Writes of certificates: issue (exactly once), PDF, revoke, reissue after a name change.

Every service is keyword-only and atomic, raises ``ValidationError`` with a translated message
on a rule it refuses, bumps the "certificates" content version (public pages cached for
anonymous readers) and tells the course statistics what changed.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consilium.accounts.models import EventKind
from consilium.accounts.services import security_event_record
from consilium.certificates import keys
from consilium.certificates.integrity import sign
from consilium.certificates.models import Certificate, CertificateStatus, StatusList
from consilium.certificates.openbadges import CourseCertificate, Party, open_badge_credential
from consilium.certificates.pdf import certificate_context
from consilium.certificates.status_list import MIN_BITS, status_list_credential
from consilium.certificates.status_list import StatusList as Bitstring
from consilium.core import public_cache
from consilium.core.pdf import render_pdf
from consilium.core.services import read_only, service
from consilium.courses import tasks as course_tasks
from consilium.courses.models import Enrolment, EnrolmentStatus
from consilium.institutions.models import Institution

CACHE_NAME = "certificates"
# Crockford base32 without I, L, O, U: easy to read aloud and to type from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
REASON_MAX = 1000


@read_only
def certificate_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@read_only
def site_url(path: str) -> str:
    return settings.SITE_URL + path


@read_only
def certificate_public_url(code: str) -> str:
    """The certificate's public verification page (what the QR code opens)."""
    return site_url(reverse("certificates:public", args=[code]))


@read_only
def status_list_url(status_list_id: int) -> str:
    return site_url(reverse("certificates:status_list", args=[status_list_id]))


# --- status lists ----------------------------------------------------------------------------


def _sign_status_list(status_list: StatusList, bits: Bitstring) -> dict[str, Any]:
    key = keys.signing_key_for(status_list.institution_id)
    document = status_list_credential(
        list_url=status_list_url(status_list.pk),
        issuer=keys.did_for(status_list.institution_id),
        status_list=bits,
        valid_from=timezone.now(),
    )
    return sign(
        document,
        private_key=keys.private_key(key),
        verification_method=keys.verification_method(status_list.institution_id),
        created=timezone.now(),
    )


def _new_status_list(institution_id: int, number: int) -> StatusList:
    bits = Bitstring(MIN_BITS)
    status_list, created = StatusList.objects.get_or_create(
        institution_id=institution_id, number=number, defaults={"encoded": bits.encode()}
    )
    if created:
        status_list.credential = _sign_status_list(status_list, bits)
        status_list.save(update_fields=["credential"])
    return status_list


def _allocate_entry(institution_id: int) -> tuple[StatusList, int]:
    """The next free entry of the institution's current list (a row lock serialises it)."""
    lists = StatusList.objects.select_for_update().filter(institution_id=institution_id)
    current = lists.order_by("-number").only("pk", "number", "next_index").first()
    if current is None or current.next_index >= MIN_BITS:
        _new_status_list(institution_id, current.number + 1 if current else 1)
        current = lists.order_by("-number").only("pk", "number", "next_index").first()
        assert current is not None
    StatusList.objects.filter(pk=current.pk).update(next_index=F("next_index") + 1)
    return current, current.next_index


def _set_status_bit(status_list_id: int, index: int) -> None:
    status_list = StatusList.objects.select_for_update().get(pk=status_list_id)
    bits = Bitstring.decode(status_list.encoded)
    bits[index] = True
    status_list.encoded = bits.encode()
    status_list.credential = _sign_status_list(status_list, bits)
    status_list.save(update_fields=["encoded", "credential", "updated_at"])


# --- issue ---------------------------------------------------------------------------------


def _name_in(institution: Institution, language: str) -> str:
    with translation.override(language):
        return str(institution.name)


def _build(
    *, enrolment: Enrolment, holder_name: str, issued_at: datetime, certificate_id: Any
) -> Certificate:
    course = enrolment.course
    variant = enrolment.variant
    language = variant.language
    co_authors = [i for i in course.co_authors.all() if i.pk != course.owner_id]
    issuers = [course.owner, *co_authors]
    status_list, index = _allocate_entry(course.owner_id)
    with translation.override(language):
        hours_label = _("Hours of effort")
        criteria = _("Completed every required lesson and quiz of the course.")
    data = CourseCertificate(
        credential_id=f"urn:uuid:{certificate_id}",
        issuer=Party(keys.did_for(course.owner_id), _name_in(course.owner, language)),
        holder_name=holder_name,
        achievement_id=site_url(f"/courses/{course.pk}/"),
        course_title=variant.title,
        description=variant.summary or variant.title,
        criteria=criteria,
        language=language,
        valid_from=issued_at,
        status_list_url=status_list_url(status_list.pk),
        status_list_index=index,
        hours=course.hours,
        hours_label=hours_label,
        credits=float(course.credits) if course.credits else None,
        co_issuers=tuple(Party(keys.did_for(i.pk), _name_in(i, language)) for i in co_authors),
    )
    credential = open_badge_credential(data)
    for institution in issuers:
        key = keys.signing_key_for(institution.pk)
        credential = sign(
            credential,
            private_key=keys.private_key(key),
            verification_method=keys.verification_method(institution.pk),
            created=issued_at,
        )
    certificate = Certificate.objects.create(
        id=certificate_id,
        code=certificate_code_new(),
        enrolment=enrolment,
        learner_id=enrolment.learner_id,
        course=course,
        issuer_id=course.owner_id,
        language=language,
        holder_name=holder_name,
        course_title=variant.title,
        issuer_names=[p.name for p in (data.issuer, *data.co_issuers)],
        hours=course.hours,
        credits=course.credits,
        issued_at=issued_at,
        status_list=status_list,
        status_index=index,
        credential=credential,
    )
    if co_authors:
        certificate.co_issuers.set(co_authors)
    public_cache.bump(CACHE_NAME)
    course_tasks.record_change(course_id=course.pk, year=issued_at.year)
    return certificate


def _current(enrolment_id: int) -> Certificate | None:
    return (
        Certificate.objects.filter(enrolment_id=enrolment_id)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .first()
    )


@service
def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """The certificate of a completed enrolment, issued the first time and returned after.

    Exactly once, even when completion is processed twice or concurrently: the enrolment row
    is locked, and the database refuses a second certificate that is not superseded.
    """
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update()
            .select_related("course__owner", "variant", "learner")
            .get(pk=enrolment.pk)
        )
        existing = _current(locked.pk)
        if existing is not None:
            return existing
        if locked.status != EnrolmentStatus.COMPLETED:
            raise ValidationError(_("A certificate is issued only for a completed course."))
        try:
            with transaction.atomic():
                return _build(
                    enrolment=locked,
                    holder_name=locked.learner.full_name,
                    issued_at=locked.completed_at or timezone.now(),
                    certificate_id=uuid.uuid4(),
                )
        except IntegrityError:
            existing = _current(locked.pk)
            if existing is None:
                raise
            return existing


@service
def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The certificate's PDF, rendered once in its language and then kept in storage."""
    if certificate.pdf:
        with certificate.pdf.open("rb") as stored:
            content: bytes = stored.read()
            return content
    with translation.override(certificate.language):
        context = certificate_context(
            certificate, verify_url=certificate_public_url(certificate.code)
        )
        data = render_pdf("certificates/certificate_pdf.html", context)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(data), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return data


# --- revoke and reissue ----------------------------------------------------------------------


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [message]})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [_("Keep it under %(limit)d characters.") % {"limit": REASON_MAX}]}
        )
    return reason


@service
def certificate_revoke(*, certificate: Certificate, by: Any, reason: str) -> Certificate:
    """Revoke a valid certificate: record who, when and why, and publish it in the status list."""
    reason = _reason(reason, _("Say why the certificate is revoked."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != CertificateStatus.VALID:
            raise ValidationError(_("Only a valid certificate can be revoked."))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revocation_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
        security_event_record(kind=EventKind.CERTIFICATE_REVOKED, actor=by, subject=locked.code, institution_id=locked.issuer_id, details={"reason": reason})  # fmt: skip
        _set_status_bit(locked.status_list_id, locked.status_index)
        public_cache.bump(CACHE_NAME)
        course_tasks.record_change(course_id=locked.course_id, year=locked.issued_at.year)
    return locked


@service
def certificate_reissue(*, certificate: Certificate, by: Any, reason: str) -> Certificate:
    """A new certificate under the holder's current name; the old one is superseded (and its
    status list entry set, so outside verifiers stop accepting it)."""
    reason = _reason(reason, _("Say why the certificate should be reissued."))
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update()
            .select_related("learner", "enrolment__course__owner", "enrolment__variant")
            .get(pk=certificate.pk)
        )
        if old.status != CertificateStatus.VALID:
            raise ValidationError(_("Only a valid certificate can be reissued."))
        if old.learner.full_name.strip() == old.holder_name:
            raise ValidationError(
                _("The name in your profile is the one on the certificate: nothing to change.")
            )
        now = timezone.now()
        new_id = uuid.uuid4()
        Certificate.objects.filter(pk=old.pk).update(
            status=CertificateStatus.SUPERSEDED,
            superseded_at=now,
            reissue_reason=reason,
            reissued_by=by,
        )
        _set_status_bit(old.status_list_id, old.status_index)
        new = _build(
            enrolment=old.enrolment,
            holder_name=old.learner.full_name.strip(),
            issued_at=now,
            certificate_id=new_id,
        )
        Certificate.objects.filter(pk=old.pk).update(superseded_by=new)
        course_tasks.record_change(course_id=old.course_id, year=old.issued_at.year)
    return new
