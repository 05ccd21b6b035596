"""Issuing certificates: exactly once, signed by every issuing institution, verifiable by an
independent check, any change detected; revocation, reissue, keys and the PDF."""

from __future__ import annotations

import copy
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ValidationError
from django.test import Client
from pyld import jsonld as pyld_jsonld

from consilium.accounts.testing import UserFactory
from consilium.certificates import keys, services
from consilium.certificates.models import Certificate, CertificateStatus, SigningKey, StatusList
from consilium.certificates.selectors import certificate_counts_per_course_year
from consilium.certificates.status_list import StatusList as Bitstring
from consilium.certificates.verification import Outcome, verify_code, verify_credential
from consilium.core.testing import run_concurrently
from consilium.courses.models import EnrolmentStatus
from consilium.courses.testing import course as make_course
from consilium.institutions.testing import InstitutionFactory

from .factories import completed

pytestmark = pytest.mark.django_db
CONTEXTS = Path(__file__).resolve().parents[1] / "contexts"
KAZAKH = "әғқңөұүһі"


# --- an independent verifier: pyld + cryptography + base58, keys from the did.json pages ------


def _published_keys(document: dict[str, Any]) -> dict[str, Ed25519PublicKey]:
    """The verification methods' keys, read from the did:web documents the site publishes."""
    found: dict[str, Ed25519PublicKey] = {}
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    for proof in proofs:
        did = proof["verificationMethod"].split("#")[0]
        path = "/" + "/".join(did.split(":")[3:]) + "/did.json"
        published = Client().get(path).json()
        for method in published["verificationMethod"]:
            raw = base58.b58decode(method["publicKeyMultibase"][1:])
            assert raw[:2] == b"\xed\x01"
            found[method["id"]] = Ed25519PublicKey.from_public_bytes(raw[2:])
    return found


def independent_verify(document: dict[str, Any]) -> bool:
    files = {
        "https://www.w3.org/ns/credentials/v2": "cred-v2.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-3.0.3.jsonld",
    }

    def loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads((CONTEXTS / files[url]).read_text()),
        }

    def nquads(value: dict[str, Any]) -> bytes:
        options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
        return str(pyld_jsonld.normalize(value, {**options, "documentLoader": loader})).encode()

    published = _published_keys(document)
    body = {k: v for k, v in document.items() if k != "proof"}
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    for proof in proofs:
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        config["@context"] = document["@context"]
        data = hashlib.sha256(nquads(config)).digest() + hashlib.sha256(nquads(body)).digest()
        try:
            published[proof["verificationMethod"]].verify(
                base58.b58decode(proof["proofValue"][1:]), data
            )
        except InvalidSignature:
            return False
    return True


# --- issue -----------------------------------------------------------------------------------


def test_issue_is_idempotent_and_snapshots_the_certificate() -> None:
    enrolment = completed()
    first = services.certificate_issue(enrolment=enrolment)
    second = services.certificate_issue(enrolment=enrolment)
    assert first.pk == second.pk and Certificate.objects.count() == 1
    assert len(first.code) == 10 and first.holder_name == "Айгерім Сейтқалиқызы"
    assert first.course_title == "Personalisation in higher education"
    assert first.hours == 36 and float(first.credits) == 2.5
    assert first.issuer_id == enrolment.course.owner_id
    credential = first.credential
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:uuid:{first.pk}"
    assert credential["issuer"]["id"] == keys.did_for(enrolment.course.owner_id)
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == first.holder_name
    assert subject["achievement"]["inLanguage"] == "en"
    assert certificate_counts_per_course_year(enrolment.course_id, first.issued_at.year) == 1


def test_completion_task_issues_once_even_when_processed_twice() -> None:
    from consilium.certificates.tasks import issue_for_enrolment

    enrolment = completed()
    code = issue_for_enrolment.call(enrolment_id=enrolment.pk)
    assert issue_for_enrolment.call(enrolment_id=enrolment.pk) == code
    certificate = Certificate.objects.get()
    assert certificate.pdf  # rendered in the background with the credential


def test_not_completed_is_refused() -> None:
    enrolment = completed()
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.save()
    with pytest.raises(ValidationError):
        services.certificate_issue(enrolment=enrolment)
    assert not Certificate.objects.exists()


def test_the_database_refuses_a_second_certificate_for_one_enrolment() -> None:
    from django.db import IntegrityError, transaction

    certificate = services.certificate_issue(enrolment=completed())
    copy_ = Certificate.objects.get(pk=certificate.pk)
    copy_.pk = None
    copy_.id = __import__("uuid").uuid4()
    copy_.code = "0000000000"
    copy_.status_index += 1
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_.save(force_insert=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_completion_issues_one_certificate() -> None:
    """On both databases: the enrolment's row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite)
    and the unique constraint leave one certificate, and every caller gets that one."""
    enrolment = completed()
    outcomes = run_concurrently(*[lambda: services.certificate_issue(enrolment=enrolment)] * 4)
    assert all(isinstance(o, Certificate) for o in outcomes), outcomes
    assert len({o.code for o in outcomes}) == 1 and Certificate.objects.count() == 1


def test_each_institution_gets_one_key_and_the_private_key_is_encrypted() -> None:
    institution = InstitutionFactory()
    first = keys.signing_key_for(institution.pk)
    assert keys.signing_key_for(institution.pk).pk == first.pk
    assert SigningKey.objects.filter(institution=institution).count() == 1
    encrypted = bytes(first.private_key_encrypted)
    seed = keys.private_key(first).private_bytes_raw()
    assert seed not in encrypted
    document = Client().get(f"/certificates/issuers/{institution.pk}/did.json").json()
    assert document["id"] == keys.did_for(institution.pk)
    method = document["verificationMethod"][0]
    assert method == {
        "id": f"{document['id']}#key-1",
        "type": "Multikey",
        "controller": document["id"],
        "publicKeyMultibase": first.public_key,
    }
    assert "private" not in json.dumps(document).lower()


def test_did_web_encodes_the_port(settings: Any) -> None:
    settings.SITE_URL = "http://127.0.0.1:8106"
    assert keys.did_for(7) == "did:web:127.0.0.1%3A8106:certificates:issuers:7"
    assert keys.institution_id_from_did("did:web:127.0.0.1%3A8106:certificates:issuers:7") == 7
    assert keys.institution_id_from_did("did:web:evil.example:certificates:issuers:7") is None
    assert keys.did_document_url(7) == "http://127.0.0.1:8106/certificates/issuers/7/did.json"


# --- what verifies and what does not ---------------------------------------------------------


def test_an_issued_credential_verifies_independently_and_here() -> None:
    certificate = services.certificate_issue(enrolment=completed())
    assert independent_verify(certificate.credential)
    verdict = verify_credential(json.dumps(certificate.credential))
    assert verdict.outcome is Outcome.VALID and verdict.certificate == certificate


def test_co_authored_course_carries_a_proof_from_each_institution() -> None:
    course = make_course(credits=1)
    partner = InstitutionFactory()
    course.co_authors.add(partner)
    certificate = services.certificate_issue(enrolment=completed(course))
    proofs = certificate.credential["proof"]
    assert isinstance(proofs, list) and len(proofs) == 2
    assert [p["verificationMethod"] for p in proofs] == [
        keys.verification_method(course.owner_id),
        keys.verification_method(partner.pk),
    ]
    assert independent_verify(certificate.credential)
    for proof in proofs:  # each proof of the set verifies on its own
        assert independent_verify({**certificate.credential, "proof": proof})
    assert set(certificate.co_issuers.all()) == {partner}
    assert len(certificate.issuer_names) == 2


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths(v, (*prefix, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _paths(v, (*prefix, i))]
    return [prefix]


def _tampered(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if value.startswith(("http", "urn:", "did:")):
        return value + "0"
    if value[:4].isdigit() and "T" in value:  # a date
        return "2001" + value[4:]
    return value + "x"


def test_changing_any_field_makes_verification_fail() -> None:
    course = make_course(credits=1)
    course.co_authors.add(InstitutionFactory())
    signed = services.certificate_issue(enrolment=completed(course)).credential
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    paths = [p for p in _paths(unsigned) if p[0] != "@context"]
    assert len(paths) > 25
    for path in paths:
        forged = copy.deepcopy(signed)
        target = forged
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = _tampered(target[path[-1]])
        verdict = verify_credential(forged)
        assert verdict.outcome is not Outcome.VALID, path
        assert not independent_verify(forged), path


def test_reasons_for_bad_credentials() -> None:
    certificate = services.certificate_issue(enrolment=completed())
    signed = certificate.credential
    altered = copy.deepcopy(signed)
    altered["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    assert "altered" in verify_credential(altered).reason
    forged = copy.deepcopy(signed)
    forged["proof"]["proofValue"] = "z" + base58.b58encode(bytes(64)).decode()
    assert verify_credential(forged).reason == "The signature does not match the content."
    stranger = copy.deepcopy(signed)
    stranger["issuer"]["id"] = "did:web:elsewhere.example:issuers:1"
    assert "issuer is not known" in verify_credential(stranger).reason
    other_key = copy.deepcopy(signed)
    other_key["proof"]["verificationMethod"] = keys.verification_method(
        keys.signing_key_for(InstitutionFactory().pk).institution_id
    )
    assert verify_credential(other_key).outcome is Outcome.INVALID
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    assert verify_credential(unsigned).reason == "The credential is not signed."
    for bad in (b"{", b"[1, 2]", "nul", b"\xff\xfe", b"{" * 100_000):
        verdict = verify_credential(bad)
        assert verdict.outcome is Outcome.INVALID and verdict.malformed
    huge = json.dumps({**signed, "padding": "x" * 300_000})
    assert "larger than 256 KB" in verify_credential(huge).reason
    extra = copy.deepcopy(signed)
    extra["undefinedTerm"] = 1
    assert verify_credential(extra).outcome is Outcome.INVALID


# --- revoke and reissue ----------------------------------------------------------------------


def _bit(certificate: Certificate) -> bool:
    status_list = StatusList.objects.get(pk=certificate.status_list_id)
    return Bitstring.decode(status_list.encoded)[certificate.status_index]


def test_revocation_sets_the_status_bit_and_verification_says_revoked() -> None:
    certificate = services.certificate_issue(enrolment=completed())
    admin = UserFactory()
    assert not _bit(certificate)
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, by=admin, reason="  ")
    revoked = services.certificate_revoke(certificate=certificate, by=admin, reason="Plagiarism")
    assert revoked.status == CertificateStatus.REVOKED and revoked.revoked_by == admin
    assert _bit(certificate)
    assert verify_code(certificate.code).outcome is Outcome.REVOKED
    assert "Plagiarism" in verify_code(certificate.code).reason
    assert verify_credential(certificate.credential).outcome is Outcome.REVOKED
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, by=admin, reason="again")
    # The published status list is signed by the institution and says so too.
    published = Client().get(f"/certificates/status/{certificate.status_list_id}/")
    assert published["Content-Type"] == "application/vc+ld+json"
    body = published.json()
    assert Bitstring.decode(body["credentialSubject"]["encodedList"])[certificate.status_index]
    assert independent_verify_status_list(body)
    # A copy of the credential whose status bit is set is revoked even if our row said valid.
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.VALID)
    assert verify_credential(certificate.credential).outcome is Outcome.REVOKED


def independent_verify_status_list(document: dict[str, Any]) -> bool:
    from consilium.certificates.integrity import verify

    published = _published_keys(document)
    return bool(verify(document, resolve_key=published.get))


def test_reissue_after_a_name_change_supersedes_the_old_certificate() -> None:
    enrolment = completed()
    old = services.certificate_issue(enrolment=enrolment)
    learner = enrolment.learner
    with pytest.raises(ValidationError, match="nothing to change"):
        services.certificate_reissue(certificate=old, by=learner, reason="Married")
    learner.full_name = "Айгерім Нұрланқызы"
    learner.save()
    new = services.certificate_reissue(certificate=old, by=learner, reason="Married")
    old.refresh_from_db()
    assert old.status == CertificateStatus.SUPERSEDED and old.superseded_by == new
    assert old.reissue_reason == "Married" and old.reissued_by == learner
    assert old.superseded_at is not None
    assert new.holder_name == "Айгерім Нұрланқызы" and new.code != old.code
    assert verify_code(old.code).outcome is Outcome.SUPERSEDED
    assert new.code in verify_code(old.code).reason
    assert verify_credential(old.credential).outcome is Outcome.SUPERSEDED
    assert verify_credential(new.credential).outcome is Outcome.VALID
    assert services.certificate_issue(enrolment=enrolment) == new
    assert certificate_counts_per_course_year(enrolment.course_id, new.issued_at.year) == 1


def test_unknown_codes() -> None:
    assert verify_code("").outcome is Outcome.INVALID
    assert verify_code("NOPE").reason == "No certificate has this code."
    assert verify_code("https://x.example/admin/").outcome is Outcome.INVALID
    certificate = services.certificate_issue(enrolment=completed())
    lowered = certificate.code.lower()
    assert verify_code(f" {lowered[:5]}-{lowered[5:]} ").outcome is Outcome.VALID
    assert verify_code(services.certificate_public_url(certificate.code)).outcome is Outcome.VALID


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_in_the_course_language_with_kazakh_letters_and_the_verification_address() -> None:
    from pypdf import PdfReader

    course = make_course(titles={"kk": f"Денсаулық сақтаудағы сапа {KAZAKH}"})
    learner = UserFactory(full_name="Әлия Ғалымқызы Құрманғали")
    certificate = services.certificate_issue(enrolment=completed(course, learner, "kk"))
    data = services.certificate_pdf(certificate=certificate)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert KAZAKH in text and "Әлия Ғалымқызы Құрманғали" in text
    assert certificate.code in text
    url = services.certificate_public_url(certificate.code)
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert url in links
    assert services.certificate_pdf(certificate=certificate) == data  # kept, not re-rendered


def test_qr_code_of_the_pdf_holds_the_public_address() -> None:
    import base64

    import qrcode

    from consilium.certificates.pdf import certificate_context, qr_data_uri

    certificate = services.certificate_issue(enrolment=completed())
    url = services.certificate_public_url(certificate.code)
    context = certificate_context(certificate, verify_url=url)
    assert context["verify_url"] == url and context["qr"] == qr_data_uri(url)
    svg = base64.b64decode(context["qr"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") or svg.startswith("<?xml")
    code = qrcode.QRCode()
    code.add_data(url)
    code.make()
    assert bytes(code.data_list[0].data) == url.encode()
