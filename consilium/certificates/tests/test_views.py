"""Certificate pages and API: public verification, holder and institution pages, access, bad
input (never a 500) and query counts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.certificates import services
from consilium.certificates.models import Certificate, CertificateStatus
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.courses.testing import course as make_course
from consilium.institutions.testing import InstitutionFactory, member

from .factories import completed

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def certificate() -> Certificate:
    return services.certificate_issue(enrolment=completed())


# --- public ----------------------------------------------------------------------------------


def test_public_page_shows_what_a_verifier_needs_and_no_email(certificate: Certificate) -> None:
    response = _client().get(reverse("certificates:public", args=[certificate.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.holder_name in html and certificate.course_title in html
    assert 'data-outcome="valid"' in html
    assert certificate.learner.email not in html
    assert reverse("certificates:pdf", args=[certificate.pk]) not in html  # no downloads


def test_public_page_of_an_unknown_code_is_404() -> None:
    assert _client().get(reverse("certificates:public", args=["ZZZZZZZZZZ"])).status_code == 404
    assert _client().get("/certificates/c/%3Cscript%3E/").status_code == 404


def test_verify_by_code_and_by_address(certificate: Certificate) -> None:
    url = reverse("certificates:verify")
    assert 'data-outcome="valid"' in _client().get(url, {"code": certificate.code}).content.decode()
    address = services.certificate_public_url(certificate.code)
    assert 'data-outcome="valid"' in _client().get(url, {"code": address}).content.decode()
    unknown = _client().get(url, {"code": "0000000000"}).content.decode()
    assert 'data-outcome="invalid"' in unknown and "No certificate has this code." in unknown


def test_verify_page_answers_revoked_after_revocation(certificate: Certificate) -> None:
    url = reverse("certificates:verify")
    assert 'data-outcome="valid"' in _client().get(url, {"code": certificate.code}).content.decode()
    services.certificate_revoke(certificate=certificate, by=None, reason="Fraud")
    html = _client().get(url, {"code": certificate.code}).content.decode()
    assert 'data-outcome="revoked"' in html and "Fraud" in html  # the cache was retired


def test_verify_pasted_and_uploaded_credentials(certificate: Certificate) -> None:
    url = reverse("certificates:verify")
    text = json.dumps(certificate.credential)
    pasted = _client().post(url, {"credential": text})
    assert 'data-outcome="valid"' in pasted.content.decode()
    upload = SimpleUploadedFile("c.json", text.encode(), content_type="application/json")
    assert 'data-outcome="valid"' in _client().post(url, {"file": upload}).content.decode()
    forged = copy.deepcopy(certificate.credential)
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    html = _client().post(url, {"credential": json.dumps(forged)}).content.decode()
    assert 'data-outcome="invalid"' in html and "altered" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste a credential or choose a file."),
        ({"credential": "{not json"}, "The file is not valid JSON."),
        ({"credential": "[]"}, "The credential is not a JSON object."),
        ({"credential": "x" * (257 * 1024)}, "larger than 256 KB"),
        ({"file": SimpleUploadedFile("big.json", b" " * (257 * 1024))}, "larger than 256 KB"),
        ({"credential": json.dumps({"@context": [], "issuer": "did:web:x.example"})}, "not known"),
    ],
)
def test_verify_bad_input_gets_a_clear_answer(data: dict[str, Any], message: str) -> None:
    response = _client().post(reverse("certificates:verify"), data)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()


def test_verify_page_in_the_readers_language(certificate: Certificate) -> None:
    response = _client().get(
        reverse("certificates:verify"), {"code": "0000000000"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200 and 'lang="ru"' in response.content.decode()


# --- holder ----------------------------------------------------------------------------------


def test_holder_downloads_pdf_and_json(certificate: Certificate) -> None:
    client = _client(certificate.learner)
    page = client.get(reverse("certificates:public", args=[certificate.code])).content.decode()
    assert reverse("certificates:pdf", args=[certificate.pk]) in page
    pdf = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    credential = client.get(reverse("certificates:json", args=[certificate.pk]))
    assert (
        credential.status_code == 200 and json.loads(credential.content) == certificate.credential
    )


def test_strangers_cannot_download(certificate: Certificate) -> None:
    for name in ("certificates:pdf", "certificates:json"):
        url = reverse(name, args=[certificate.pk])
        assert _client().get(url).status_code == 302  # sign in first
        assert _client(UserFactory()).get(url).status_code == 403
        other = member(Role.INSTITUTION_ADMIN)
        assert _client(other).get(url).status_code == 403


def test_issuing_institution_staff_and_network_readers_can_download(
    certificate: Certificate,
) -> None:
    url = reverse("certificates:json", args=[certificate.pk])
    for role in (Role.INSTITUTION_ADMIN, Role.TEACHER, Role.COURSE_AUTHOR):
        assert _client(member(role, certificate.issuer)).get(url).status_code == 200
    assert _client(member(Role.MINISTRY_OBSERVER)).get(url).status_code == 200
    assert _client(member(Role.LEARNER, certificate.issuer)).get(url).status_code == 403


def test_my_certificates_page(certificate: Certificate) -> None:
    response = _client(certificate.learner).get(reverse("certificates:mine"))
    assert response.status_code == 200 and certificate.code in response.content.decode()
    assert (
        certificate.code
        not in _client(UserFactory()).get(reverse("certificates:mine")).content.decode()
    )
    assert _client().get(reverse("certificates:mine")).status_code == 302


def test_mine_query_count_does_not_grow() -> None:
    learner = UserFactory()

    def add_rows() -> None:
        for _ in range(19):
            course = make_course(with_content=False)
            services.certificate_issue(enrolment=completed(course, learner=learner))

    services.certificate_issue(enrolment=completed(learner=learner))
    fetch = get_ok(_client(learner), reverse("certificates:mine"))
    response = assert_queries_constant(fetch, add_rows, warm_up=True).result
    assert response.content.decode().count('class="card mb-3"') == 20


def test_reissue_page(certificate: Certificate) -> None:
    learner = certificate.learner
    client = _client(learner)
    url = reverse("certificates:reissue", args=[certificate.pk])
    assert _client(UserFactory()).get(url).status_code == 403
    refused = client.post(url, {"reason": "typo"})
    assert refused.status_code == 400 and "nothing to change" in refused.content.decode()
    learner.full_name = "Aigerim Seitkali"
    learner.save()
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Name change"})
    new = Certificate.objects.get(status=CertificateStatus.VALID)
    assert response.status_code == 302 and response.url.endswith(f"/c/{new.code}/")
    old = client.get(reverse("certificates:public", args=[certificate.code])).content.decode()
    assert 'data-outcome="superseded"' in old


# --- institution -----------------------------------------------------------------------------


def test_revoke_page(certificate: Certificate) -> None:
    url = reverse("certificates:revoke", args=[certificate.pk])
    assert _client(member(Role.TEACHER, certificate.issuer)).get(url).status_code == 403
    assert _client(certificate.learner).get(url).status_code == 403
    admin = member(Role.INSTITUTION_ADMIN, certificate.issuer)
    client = _client(admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "  "}).status_code == 400
    assert Certificate.objects.get().status == CertificateStatus.VALID
    assert client.post(url, {"reason": "Exam fraud"}).status_code == 302
    assert Certificate.objects.get().status == CertificateStatus.REVOKED
    again = client.post(url, {"reason": "Again"})
    assert again.status_code == 400 and "Only a valid certificate" in again.content.decode()
    html = _client().get(reverse("certificates:public", args=[certificate.code])).content.decode()
    assert 'data-outcome="revoked"' in html


def test_institution_list_filters_and_export(certificate: Certificate) -> None:
    institution = certificate.issuer
    url = reverse("certificates:institution", args=[institution.pk])
    assert _client(UserFactory()).get(url).status_code == 403
    assert _client(member(Role.INSTITUTION_ADMIN)).get(url).status_code == 403
    client = _client(member(Role.INSTITUTION_ADMIN, institution))
    assert certificate.code in client.get(url).content.decode()
    assert certificate.code not in client.get(url, {"status": "revoked"}).content.decode()
    year = certificate.issued_at.year
    assert (
        certificate.code
        in client.get(url, {"year": year, "course": certificate.course_id}).content.decode()
    )
    assert certificate.code not in client.get(url, {"year": year - 1}).content.decode()
    assert client.get(url, {"year": "abc", "course": "x", "status": "nope"}).status_code == 200
    export = client.get(reverse("certificates:institution_export", args=[institution.pk]))
    body = b"".join(export.streaming_content).decode()
    assert export["Content-Type"].startswith("text/csv") and certificate.code in body
    assert certificate.learner.email not in body


def test_co_issuer_sees_the_certificate_in_its_list() -> None:
    course = make_course()
    partner = InstitutionFactory()
    course.co_authors.add(partner)
    certificate = services.certificate_issue(enrolment=completed(course))
    client = _client(member(Role.TEACHER, partner))
    url = reverse("certificates:institution", args=[partner.pk])
    assert certificate.code in client.get(url).content.decode()


def test_institution_list_query_count_does_not_grow() -> None:
    course = make_course()

    def add_rows() -> None:
        for _ in range(19):
            services.certificate_issue(enrolment=completed(course))

    services.certificate_issue(enrolment=completed(course))
    client = _client(member(Role.INSTITUTION_ADMIN, course.owner))
    fetch = get_ok(client, reverse("certificates:institution", args=[course.owner_id]))
    response = assert_queries_constant(fetch, add_rows, warm_up=True).result
    assert response.content.decode().count("font-monospace") == 20


def test_institution_page_shows_the_section(certificate: Certificate) -> None:
    url = reverse("institutions:detail", args=[certificate.issuer_id])
    public = _client().get(url).content.decode()
    assert reverse("certificates:did", args=[certificate.issuer_id]) in public
    assert reverse("certificates:institution", args=[certificate.issuer_id]) not in public
    staff = _client(member(Role.INSTITUTION_ADMIN, certificate.issuer)).get(url).content.decode()
    assert reverse("certificates:institution", args=[certificate.issuer_id]) in staff


def test_a_completion_the_course_bank_announces_issues_the_certificate() -> None:
    from consilium.courses.models import Enrolment
    from consilium.courses.signals import course_completed

    enrolment = completed()
    course_completed.send(sender=Enrolment, enrolment_id=enrolment.pk)
    assert Certificate.objects.get().enrolment == enrolment


def test_the_course_statistics_count_certificates_through_the_signal() -> None:
    from consilium.courses.models import Course, StatsScope, YearStats
    from consilium.courses.services import stats
    from consilium.courses.signals import certificates_per_course_year

    enrolment = completed()
    year = enrolment.completed_at.year
    assert certificates_per_course_year(Course, enrolment.course_id, year) == 0
    services.certificate_issue(enrolment=enrolment)
    assert certificates_per_course_year(Course, enrolment.course_id, year) == 1
    stats.course_year_refresh(course_id=enrolment.course_id, year=year)
    row = YearStats.objects.get(scope=StatsScope.COURSE, scope_id=enrolment.course_id, year=year)
    assert row.certificates == 1
