"""The certificates API: issue status, downloads, verify (anyone) and revoke; bad input is a
clear 4xx, never a 500."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from consilium.accounts.services import api_token_create
from consilium.accounts.testing import UserFactory
from consilium.certificates import services
from consilium.certificates.models import Certificate, CertificateStatus
from consilium.core.roles import Role
from consilium.institutions.testing import member

from .factories import completed

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certificates"


def _api(user: Any = None) -> Client:
    if user is None:
        return Client()
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def certificate() -> Certificate:
    return services.certificate_issue(enrolment=completed())


def test_issue_status(certificate: Certificate) -> None:
    url = f"{BASE}/enrolments/{certificate.enrolment_id}/"
    body = _api(certificate.learner).get(url).json()
    assert body["issued"] and body["certificate"]["code"] == certificate.code
    assert _api(member(Role.TEACHER, certificate.issuer)).get(url).status_code == 200
    assert _api(UserFactory()).get(url).status_code == 403
    assert _api().get(url).status_code == 403
    assert _api(certificate.learner).get(f"{BASE}/enrolments/999999/").status_code == 404


def test_downloads(certificate: Certificate) -> None:
    holder = _api(certificate.learner)
    assert holder.get(f"{BASE}/{certificate.pk}/").json()["holder_name"] == certificate.holder_name
    assert holder.get(f"{BASE}/{certificate.pk}/credential").json() == certificate.credential
    pdf = holder.get(f"{BASE}/{certificate.pk}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    stranger = _api(UserFactory())
    for path in ("/", "/credential", "/pdf"):
        assert stranger.get(f"{BASE}/{certificate.pk}{path}").status_code == 403
    missing = "00000000-0000-0000-0000-000000000000"
    assert holder.get(f"{BASE}/{missing}/").status_code == 404


def test_verify_by_code_needs_no_token(certificate: Certificate) -> None:
    body = _api().get(f"{BASE}/verify/{certificate.code}").json()
    assert body["outcome"] == "valid" and body["certificate"]["code"] == certificate.code
    assert "email" not in json.dumps(body)
    unknown = _api().get(f"{BASE}/verify/NOSUCHCODE")
    assert (
        unknown.status_code == 404 and unknown.json()["detail"] == "No certificate has this code."
    )


def test_verify_a_credential(certificate: Certificate) -> None:
    def post(body: Any) -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return _api().post(f"{BASE}/verify", data, content_type="application/json")

    assert post(certificate.credential).json()["outcome"] == "valid"
    forged = copy.deepcopy(certificate.credential)
    forged["proof"]["proofValue"] = forged["proof"]["proofValue"][:-3] + "abc"
    answer = post(forged)
    assert answer.status_code == 200 and answer.json()["outcome"] == "invalid"
    stranger = copy.deepcopy(certificate.credential)
    stranger["issuer"] = "did:web:elsewhere.example"
    assert "not known" in post(stranger).json()["reason"]
    for bad in (b"{oops", b"[]", b"", b"\xff"):
        response = post(bad)
        assert response.status_code == 400 and response.json()["detail"], bad
    big = post({"x": "y" * (300 * 1024)})
    assert big.status_code == 400 and "256 KB" in big.json()["detail"]
    russian = _api().post(
        f"{BASE}/verify", b"{oops", content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert russian.status_code == 400


def test_revoke(certificate: Certificate) -> None:
    url = f"{BASE}/{certificate.pk}/revoke"
    assert (
        _api(certificate.learner)
        .post(url, {"reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    admin = _api(member(Role.INSTITUTION_ADMIN, certificate.issuer))
    empty = admin.post(url, {"reason": " "}, content_type="application/json")
    assert empty.status_code == 400 and "reason" in empty.json()["errors"]
    assert admin.post(url, "nope", content_type="application/json").status_code == 400
    done = admin.post(url, {"reason": "Fraud"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == CertificateStatus.REVOKED
    assert _api().get(f"{BASE}/verify/{certificate.code}").json()["outcome"] == "revoked"
    assert admin.post(url, {"reason": "Again"}, content_type="application/json").status_code == 400
