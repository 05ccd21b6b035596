"""Certificate pages: public verification, the holder's certificates, the institution's list."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from consilium.accounts.http import AuthedRequest
from consilium.certificates import keys, selectors, services
from consilium.certificates.forms import CertificateFilter, ReasonForm, VerifyForm
from consilium.certificates.models import Certificate, CertificateStatus, SigningKey, StatusList
from consilium.certificates.policy import Perm
from consilium.certificates.verification import verify_code, verify_credential
from consilium.core import access
from consilium.core.access import requires
from consilium.core.pdf import pdf_response
from consilium.core.public_cache import cached_for_anonymous
from consilium.core.tabular import csv_stream
from consilium.core.viewkit import Done, form_page
from consilium.institutions.models import Institution

CACHE = services.CACHE_NAME


def _certificate(request: HttpRequest, pk: Any, **_kwargs: Any) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("course", "issuer", "learner").prefetch_related(
            "co_issuers"
        ),
        pk=pk,
    )


def _institution(request: HttpRequest, pk: int, **_kwargs: Any) -> Institution:
    return get_object_or_404(Institution, pk=pk)


# --- public ----------------------------------------------------------------------------------


@csrf_exempt  # Verifying changes nothing; anonymous pages are cached without a CSRF token.
@requires(access.Perm.PUBLIC)
@cached_for_anonymous(CACHE)
def verify(request: HttpRequest) -> HttpResponse:
    """Check a certificate by its code or address (GET), or a credential file (POST)."""
    verdict = None
    form = VerifyForm()
    code = request.GET.get("code", "").strip()
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = verify_credential(form.payload())
    elif code:
        verdict = verify_code(code)
    return render(
        request,
        "certificates/verify.html",
        {"form": form, "code": code, "verdict": verdict},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@requires(access.Perm.PUBLIC)
@cached_for_anonymous(CACHE)
def public(request: HttpRequest, code: str) -> HttpResponse:
    """What a verifier needs to know about a certificate, and nothing more (no e-mail)."""
    verdict = verify_code(code)
    if verdict.certificate is None:
        raise Http404
    certificate = _certificate(request, verdict.certificate.pk)
    user = request.user
    context = {
        "certificate": certificate,
        "verdict": verdict,
        "can_view": access.can(user, Perm.CERTIFICATE_VIEW, certificate),
        "can_revoke": certificate.status == CertificateStatus.VALID
        and access.can(user, Perm.CERTIFICATE_REVOKE, certificate),
        "can_reissue": certificate.status == CertificateStatus.VALID
        and access.can(user, Perm.CERTIFICATE_REISSUE, certificate)
        and certificate.learner.full_name.strip() != certificate.holder_name,
    }
    return render(request, "certificates/public.html", context)


@requires(access.Perm.PUBLIC)
def status_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed Bitstring Status List credential of an institution's revocations."""
    credential = StatusList.objects.filter(pk=pk).values_list("credential", flat=True).first()
    if not credential:
        raise Http404
    response = HttpResponse(json.dumps(credential), content_type="application/vc+ld+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@requires(access.Perm.PUBLIC)
def did_document(request: HttpRequest, pk: int) -> JsonResponse:
    """The did:web document publishing the institution's public key (under the identifier of
    the host it is asked on, when the key has signed under that host: see keys.py)."""
    # An id beyond a 64-bit integer names no institution (SQLite would refuse to compare it).
    key = SigningKey.objects.filter(institution_id=pk).first() if pk < 2**63 else None
    if key is None:
        raise Http404
    document = keys.did_document(key, netloc=request.get_host())
    return JsonResponse(document, content_type="application/did+json")


# --- holder ----------------------------------------------------------------------------------


@requires(access.Perm.SIGNED_IN)
def mine(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.certificate_list_of_learner(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "certificates/mine.html", {"page": page})


@requires(Perm.CERTIFICATE_VIEW, certificate=_certificate)
def download_pdf(request: AuthedRequest, pk: Any, *, certificate: Certificate) -> HttpResponse:
    data = services.certificate_pdf(certificate=certificate)
    return pdf_response(data, f"certificate-{certificate.code}.pdf", inline=False)


@requires(Perm.CERTIFICATE_VIEW, certificate=_certificate)
def download_json(request: AuthedRequest, pk: Any, *, certificate: Certificate) -> HttpResponse:
    response = HttpResponse(
        json.dumps(certificate.credential, ensure_ascii=False, indent=2),
        content_type="application/vc+ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.json"'
    return response


def _reason_view(
    request: AuthedRequest,
    certificate: Certificate,
    *,
    action: str,
    template: str,
    run: Callable[..., Certificate],
    done: str,
) -> HttpResponse:
    def save(data: dict[str, Any]) -> Done:
        result = run(certificate=certificate, by=request.user, reason=data["reason"])
        return Done(done, to=reverse("certificates:public", kwargs={"code": result.code}))

    return form_page(
        request,
        ReasonForm(request.POST or None),
        save,
        template=template,
        context={"certificate": certificate, "action": action},
        error_status=400,
    )


@requires(Perm.CERTIFICATE_REISSUE, certificate=_certificate)
def reissue(request: AuthedRequest, pk: Any, *, certificate: Certificate) -> HttpResponse:
    return _reason_view(
        request,
        certificate,
        action="reissue",
        template="certificates/reason_form.html",
        run=services.certificate_reissue,
        done=_("A new certificate was issued under your current name."),
    )


@requires(Perm.CERTIFICATE_REVOKE, certificate=_certificate)
def revoke(request: AuthedRequest, pk: Any, *, certificate: Certificate) -> HttpResponse:
    return _reason_view(
        request,
        certificate,
        action="revoke",
        template="certificates/reason_form.html",
        run=services.certificate_revoke,
        done=_("The certificate was revoked."),
    )


# --- institution -----------------------------------------------------------------------------


def _filtered(request: HttpRequest, institution: Institution) -> tuple[CertificateFilter, Any]:
    form = CertificateFilter(
        request.GET or None, courses=selectors.certificate_course_choices(request.user, institution)
    )
    rows = selectors.certificate_list_of_institution(request.user, institution, **form.filters())
    return form, rows


@requires(Perm.CERTIFICATE_LIST, institution=_institution)
def institution_list(request: AuthedRequest, pk: int, *, institution: Institution) -> HttpResponse:
    form, rows = _filtered(request, institution)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/institution_list.html",
        {
            "institution": institution,
            "form": form,
            "page": page,
        },
    )


@requires(Perm.CERTIFICATE_LIST, institution=_institution)
def institution_export(
    request: AuthedRequest, pk: int, *, institution: Institution
) -> StreamingHttpResponse:
    _form, rows = _filtered(request, institution)
    header = [
        _("Code"),
        _("Identifier"),
        _("Holder"),
        _("Course"),
        _("Language"),
        _("Hours"),
        _("Credits"),
        _("Issued on"),
        _("Status"),
    ]
    labels = dict(CertificateStatus.choices)

    def lines() -> Any:
        yield header
        for c in rows.iterator(chunk_size=500):
            yield [
                c.code,
                c.pk,
                c.holder_name,
                c.course_title,
                c.language,
                c.hours,
                c.credits,
                c.issued_at.date().isoformat(),
                labels[c.status],
            ]

    response = StreamingHttpResponse(csv_stream(lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="certificates-{pk}.csv"'
    return response
