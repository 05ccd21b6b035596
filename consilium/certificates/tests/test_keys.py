"""Keys that survive rotation: a SECRET_KEY change with the old value in the fallbacks, a
dedicated CERTIFICATES_KEY, re-encryption by ``rotate_keys``, a key nobody can open (a clear
answer, never a 500), and a SITE_URL change (old credentials still verify and resolve)."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from consilium.accounts.services import api_token_create
from consilium.accounts.testing import UserFactory
from consilium.certificates import keys, services
from consilium.certificates.integrity import verify
from consilium.certificates.models import (
    Certificate,
    CertificateStatus,
    IssuerIdentifier,
    SigningKey,
    StatusList,
)
from consilium.certificates.verification import Outcome, verify_credential
from consilium.core.roles import Role
from consilium.courses.testing import course as make_course
from consilium.institutions.testing import member

from .factories import completed

pytestmark = pytest.mark.django_db
OLD = "old-secret-" + "o" * 50
NEW = "new-secret-" + "n" * 50
DEDICATED = "certificates-secret-" + "c" * 50


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _status_list_signed(status_list: StatusList) -> bool:
    key = SigningKey.objects.get(institution_id=status_list.institution_id)
    result = verify(status_list.credential, resolve_key=lambda _method: keys.public_key(key))
    return bool(result)


def _revoke_by_page(certificate: Certificate) -> Any:
    admin = member(Role.INSTITUTION_ADMIN, certificate.issuer)
    url = reverse("certificates:revoke", args=[certificate.pk])
    return _client(admin).post(url, {"reason": "Exam fraud"})


def test_secret_key_rotation_with_the_old_key_as_fallback(settings: SettingsWrapper) -> None:
    settings.SECRET_KEY = OLD
    first = services.certificate_issue(enrolment=completed())
    course = first.course
    second = services.certificate_issue(enrolment=completed(course))
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]

    assert _revoke_by_page(first).status_code == 302
    first.refresh_from_db()
    assert first.status == CertificateStatus.REVOKED
    assert _status_list_signed(StatusList.objects.get(pk=first.status_list_id))
    assert verify_credential(first.credential).outcome is Outcome.REVOKED
    # New certificates are signed with the same key.
    assert verify_credential(services.certificate_issue(enrolment=completed(course)).credential)

    out = StringIO()
    with pytest.raises(CommandError, match="fallback"):
        call_command("rotate_keys", "--check", stdout=out)
    call_command("rotate_keys", stdout=out)
    assert "re-encrypted 1 key(s); 0 already current" in out.getvalue()
    call_command("rotate_keys", "--check", stdout=out)  # now current: no error
    call_command("rotate_keys", stdout=out)
    assert "re-encrypted 0 key(s); 1 already current" in out.getvalue()
    key = SigningKey.objects.get()
    assert keys.encrypted_with(key) == keys.fingerprint(NEW)

    settings.SECRET_KEY_FALLBACKS = []  # the old secret is gone for good
    assert _revoke_by_page(second).status_code == 302
    assert _status_list_signed(StatusList.objects.get(pk=second.status_list_id))


def test_a_dedicated_certificates_key_takes_over_and_outlives_secret_key(
    settings: SettingsWrapper,
) -> None:
    settings.SECRET_KEY = OLD
    certificate = services.certificate_issue(enrolment=completed())
    settings.CERTIFICATES_KEY = DEDICATED  # SECRET_KEY still opens the stored key
    assert keys.current_fingerprint() == keys.fingerprint(DEDICATED)
    call_command("rotate_keys", stdout=StringIO())
    assert keys.encrypted_with(SigningKey.objects.get()) == keys.fingerprint(DEDICATED)
    settings.SECRET_KEY = NEW  # SECRET_KEY changes freely now
    assert _revoke_by_page(certificate).status_code == 302
    assert _status_list_signed(StatusList.objects.get())


def test_a_key_nobody_can_open_is_a_clear_answer_not_a_500(settings: SettingsWrapper) -> None:
    settings.SECRET_KEY = OLD
    certificate = services.certificate_issue(enrolment=completed())
    settings.SECRET_KEY = NEW  # changed without a fallback

    page = _revoke_by_page(certificate)
    assert page.status_code == 400
    assert "SECRET_KEY_FALLBACKS" in page.content.decode()
    _token, raw = api_token_create(
        user=member(Role.INSTITUTION_ADMIN, certificate.issuer), name="t"
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        f"/api/v1/certificates/{certificate.pk}/revoke",
        {"reason": "Fraud"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["codes"]["__all__"] == ["signing_key_unavailable"]
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID  # nothing half-written
    # Verifying needs only public keys: still fine.
    assert verify_credential(certificate.credential).valid

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_keys", stdout=StringIO())
    assert keys.undecryptable() == [certificate.issuer_id]
    settings.SECRET_KEY_FALLBACKS = [OLD]
    assert keys.undecryptable() == []


def test_a_site_url_change_keeps_old_credentials_valid_and_resolvable(
    settings: SettingsWrapper,
) -> None:
    settings.ALLOWED_HOSTS = ["old.example", "new.example", "testserver"]
    settings.SITE_URL = "https://old.example"
    course = make_course()
    old = services.certificate_issue(enrolment=completed(course))
    owner = course.owner_id
    old_did = f"did:web:old.example:certificates:issuers:{owner}"
    assert old.credential["issuer"]["id"] == old_did

    settings.SITE_URL = "https://new.example"
    verdict = verify_credential(old.credential)
    assert verdict.outcome is Outcome.VALID, verdict.reason
    new = services.certificate_issue(enrolment=completed(course, learner=UserFactory()))
    new_did = f"did:web:new.example:certificates:issuers:{owner}"
    assert new.credential["issuer"]["id"] == new_did
    assert verify_credential(new.credential).valid
    assert set(
        IssuerIdentifier.objects.filter(key__institution_id=owner).values_list("did", flat=True)
    ) == {old_did, new_did}

    url = reverse("certificates:did", args=[owner])
    on_old = Client(HTTP_HOST="old.example").get(url).json()
    assert on_old["id"] == old_did
    assert on_old["verificationMethod"][0]["id"] == f"{old_did}#key-1"
    assert on_old["alsoKnownAs"] == [new_did]
    on_new = Client(HTTP_HOST="new.example").get(url).json()
    assert on_new["id"] == new_did and on_new["alsoKnownAs"] == [old_did]
    assert (
        on_old["verificationMethod"][0]["publicKeyMultibase"]
        == (on_new["verificationMethod"][0]["publicKeyMultibase"])
    )

    # Revoking the old certificate after the move works and is seen by its status entry.
    services.certificate_revoke(certificate=old, by=None, reason="Fraud")
    assert verify_credential(old.credential).outcome is Outcome.REVOKED
    # A look-alike identifier on a host we never used stays unknown.
    forged = {
        **new.credential,
        "issuer": {
            **new.credential["issuer"],
            "id": new_did.replace("new.example", "evil.example"),
        },
    }
    assert not verify_credential(forged).valid


def test_the_migration_records_the_identifiers_already_signed_under(
    settings: SettingsWrapper,
) -> None:
    settings.SITE_URL = "https://old.example"
    certificate = services.certificate_issue(enrolment=completed())
    IssuerIdentifier.objects.all().delete()  # as before the migration
    settings.SITE_URL = "https://new.example"
    assert not verify_credential(certificate.credential).valid
    migration = importlib.import_module("consilium.certificates.migrations.0002_issuer_identifiers")
    migration.record_identifiers(apps, None)
    assert list(IssuerIdentifier.objects.values_list("did", flat=True)) == [
        f"did:web:old.example:certificates:issuers:{certificate.issuer_id}"
    ]
    assert verify_credential(certificate.credential).valid


@pytest.mark.parametrize("issuer", [["a"], {"id": ["a"]}, {"id": {"x": 1}}, 7, None, "x" * 300])
def test_odd_issuers_are_unknown_not_an_error(issuer: Any) -> None:
    certificate = services.certificate_issue(enrolment=completed())
    document = {**certificate.credential, "issuer": issuer}
    verdict = verify_credential(document)
    assert verdict.outcome is Outcome.INVALID
