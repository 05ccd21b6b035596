"""Certificates as JSON: issue status, downloads, verification (anyone) and revocation.

Verification needs no token. A body that is not JSON or larger than 256 KB is a 400 with a
translated message; a credential that does not verify is a 200 whose ``outcome`` says why.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from consilium.certificates import services
from consilium.certificates.models import Certificate
from consilium.certificates.policy import Perm
from consilium.certificates.verification import (
    MAX_CREDENTIAL_BYTES,
    Verdict,
    verify_code,
    verify_credential,
)
from consilium.core import access
from consilium.core.api import RefusedInput, public, refuse_unstorable
from consilium.core.pdf import pdf_response
from consilium.courses.models import Enrolment
from consilium.courses.policy import Perm as CoursePerm

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    id: UUID
    code: str
    holder_name: str
    course_id: int
    course_title: str
    language: str
    issuers: list[str]
    hours: int
    credits: Decimal
    issued_at: datetime
    status: str
    url: str

    @staticmethod
    def resolve_issuers(obj: Certificate) -> list[str]:
        return list(obj.issuer_names)

    @staticmethod
    def resolve_url(obj: Certificate) -> str:
        return services.certificate_public_url(obj.code)


class IssueStatusOut(Schema):
    enrolment_id: int
    completed: bool
    issued: bool
    certificate: CertificateOut | None


class VerdictOut(Schema):
    outcome: str
    reason: str
    certificate: CertificateOut | None


class RevokeIn(Schema):
    reason: str


class ErrorOut(Schema):
    detail: str


def _certificate(pk: UUID) -> Certificate:
    return get_object_or_404(Certificate.objects.prefetch_related("co_issuers"), pk=pk)


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "outcome": str(verdict.outcome),
        "reason": verdict.reason,
        "certificate": verdict.certificate,
    }


@router.get("/enrolments/{enrolment_id}/", response=IssueStatusOut)
def issue_status(request: HttpRequest, enrolment_id: int) -> dict[str, Any]:
    """Whether the certificate of an enrolment has been issued (the learner, or the course's
    teachers, authors and administrators)."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("course"), pk=enrolment_id)
    if not (
        access.can(request.user, CoursePerm.COURSE_LEARN, enrolment)
        or access.can(request.user, CoursePerm.COURSE_LEARNERS, enrolment.course)
    ):
        raise PermissionDenied
    certificate = (
        Certificate.objects.filter(enrolment=enrolment).exclude(status="superseded").first()
    )
    return {
        "enrolment_id": enrolment.pk,
        "completed": enrolment.status == "completed",
        "issued": certificate is not None,
        "certificate": certificate,
    }


@router.get("/{uuid:pk}/", response=CertificateOut)
def detail(request: HttpRequest, pk: UUID) -> Certificate:
    certificate = _certificate(pk)
    access.require(request.user, Perm.CERTIFICATE_VIEW, certificate)
    return certificate


@router.get("/{uuid:pk}/credential", response={200: dict[str, Any]})
def credential(request: HttpRequest, pk: UUID) -> dict[str, Any]:
    """The signed Open Badges 3.0 credential, as issued."""
    certificate = _certificate(pk)
    access.require(request.user, Perm.CERTIFICATE_VIEW, certificate)
    return dict(certificate.credential)


@router.get("/{uuid:pk}/pdf")
def pdf(request: HttpRequest, pk: UUID) -> HttpResponse:
    certificate = _certificate(pk)
    access.require(request.user, Perm.CERTIFICATE_VIEW, certificate)
    data = services.certificate_pdf(certificate=certificate)
    return pdf_response(data, f"certificate-{certificate.code}.pdf", inline=False)


@router.post("/{uuid:pk}/revoke", response=CertificateOut)
def revoke(request: HttpRequest, pk: UUID, payload: RevokeIn) -> Certificate:
    """Revoke with a reason (the issuing institution's administrators, network admins)."""
    certificate = _certificate(pk)
    access.require(request.user, Perm.CERTIFICATE_REVOKE, certificate)
    return services.certificate_revoke(
        certificate=certificate, by=request.user, reason=payload.reason
    )


@router.get("/verify/{code}", response={200: VerdictOut, 404: ErrorOut})
@public
def verify_by_code(request: HttpRequest, code: str) -> Any:
    """Anyone: the status of the certificate with this code (or public page address)."""
    verdict = verify_code(code)
    if verdict.certificate is None:
        return Status(404, {"detail": verdict.reason})
    return _verdict(verdict)


@router.post(
    "/verify",
    response={200: VerdictOut, 400: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "The credential (JSON, at most 256 KB).",
        }
    },
)
@public
def verify(request: HttpRequest) -> Any:
    """Anyone: verify a credential sent as the request body."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    too_big = _("The credential is larger than %(size)d KB.") % {
        "size": MAX_CREDENTIAL_BYTES // 1024
    }
    if declared > MAX_CREDENTIAL_BYTES:
        return Status(400, {"detail": too_big})
    try:
        body = request.body
    except RequestDataTooBig:
        return Status(400, {"detail": too_big})
    if len(body) > MAX_CREDENTIAL_BYTES:
        return Status(400, {"detail": too_big})
    try:
        refuse_unstorable(json.loads(body))
    except RefusedInput as exc:  # NUL, a lone surrogate, a number beyond 64 bits
        return Status(400, {"detail": exc.message})
    except ValueError:
        pass  # not JSON: verify_credential says so in its own words
    verdict = verify_credential(body)
    if verdict.malformed:
        return Status(400, {"detail": verdict.reason})
    return _verdict(verdict)
