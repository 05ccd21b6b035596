"""Journeys of certificates.

3. A learner completes a course in the browser, gets the certificate, downloads its PDF from
   "My certificates" (their name on it) and opens the public address its QR code encodes:
   valid, for anyone.
4. An institution administrator revokes a certificate with a reason; its public page and the
   verify-by-code form then say it is revoked.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from consilium.accounts.testing import PASSWORD, UserFactory
from consilium.certificates.models import Certificate, CertificateStatus
from consilium.certificates.services import certificate_public_url
from consilium.core.roles import Role
from consilium.courses import testing
from consilium.courses.models import Course, Enrolment, EnrolmentStatus
from consilium.courses.services import learning
from consilium.institutions.testing import InstitutionFactory, member

from .helpers import html_lang, in_language, mark_lesson_done, pass_quiz, sign_in, snap

TITLE = "Evidence-based medicine for residents"
HOLDER = "Aigerim Sadykova"
REASON = "Issued in error: the learner's attendance was not confirmed."


def published_course() -> Course:
    """A published course (the factory's: "Lesson 1", then "Quiz" whose right answer is
    "First") of a university, with an open run."""
    owner = InstitutionFactory(
        name_en="Astana Medical University", name_ru="Медицинский университет Астана"
    )
    return testing.course(owner=owner, titles={"en": TITLE}, hours=24)


def expect_verdict(page: Page, outcome: str, label: str) -> None:
    verdict = page.locator("main [role=status][data-outcome]")
    expect(verdict).to_have_attribute("data-outcome", outcome)
    expect(verdict.locator("strong")).to_have_text(in_language(page, label))


@pytest.mark.e2e
def test_learner_completes_downloads_the_pdf_and_verifies_it(  # type: ignore[no-untyped-def]
    new_page, live_server, settings, transactional_db
):
    # Links printed on certificates (and in their QR codes) point at this server.
    settings.SITE_URL = live_server.url
    course = published_course()
    learner = UserFactory(email="aigerim@example.kz", full_name=HOLDER, language="en")
    enrolment = learning.enrolment_create(run=course.runs.get(), learner=learner)

    # --- the learner finishes the course in the browser ---------------------------------------
    page = new_page()
    sign_in(page, learner.email, PASSWORD)
    page.locator("#nav-main a.nav-link[href='/courses/my/']").click()
    page.locator("main .list-group-item").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(rf"/courses/learn/{enrolment.pk}/$"))
    mark_lesson_done(page, "Lesson 1")
    pass_quiz(page, "Quiz", ["First"])
    expect(page.locator("main .alert-success[role=status]")).to_have_text(
        in_language(page, "Course completed")
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED

    # Tasks run at once in tests: the certificate is there, exactly one.
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == CertificateStatus.VALID
    assert (certificate.holder_name, certificate.course_title) == (HOLDER, TITLE)
    assert certificate.hours == 24
    assert certificate.language == "en"

    # --- "My certificates", from the account menu ------------------------------------------------
    page.locator("#account-menu").click()
    page.locator("#nav-main .dropdown-menu").get_by_role(
        "link", name=in_language(page, "My certificates")
    ).click()
    expect(page).to_have_url(re.compile(r"/certificates/mine/$"))
    expect(page.locator("main h1")).to_have_text(in_language(page, "My certificates"))
    card = page.locator("main .card", has_text=TITLE)
    expect(card).to_have_count(1)
    expect(card.locator(".font-monospace")).to_have_text(certificate.code)
    expect(card).to_contain_text("Astana Medical University")
    snap(page, "certificates-3-mine")

    with page.expect_download() as info:
        card.get_by_role("link", name="PDF").click()
    download = info.value
    assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert HOLDER in text
    assert TITLE in text
    assert certificate.code in text
    # The address printed under the QR code (and linked from it) is the public page.
    address = certificate_public_url(certificate.code)
    assert address == f"{live_server.url}/certificates/c/{certificate.code}/"
    assert address in re.sub(r"\s+", "", text)
    links = [
        annotation.get_object().get("/A", {}).get("/URI")
        for pdf_page in reader.pages
        for annotation in pdf_page.get("/Annots") or []
    ]
    assert address in links

    # --- anyone opens that address: the certificate is valid -------------------------------------
    visitor = new_page()
    visitor.goto(address)
    expect(visitor).to_have_url(address)
    expect_verdict(visitor, "valid", "Valid")
    details = visitor.locator("main dl")
    expect(details).to_contain_text(HOLDER)
    expect(details).to_contain_text(TITLE)
    expect(details).to_contain_text(f"urn:uuid:{certificate.pk}")
    # Nothing personal beyond the name, and no downloads for a stranger.
    assert learner.email not in visitor.content()
    expect(visitor.locator(f"main a[href$='/{certificate.pk}/certificate.pdf']")).to_have_count(0)
    snap(visitor, "certificates-3-public-valid")


@pytest.mark.e2e
def test_institution_admin_revokes_a_certificate(new_page, transactional_db):  # type: ignore[no-untyped-def]
    course = published_course()
    admin = member(
        Role.INSTITUTION_ADMIN,
        institution=course.owner,
        full_name="Marat Zhunusov",
        language="en",
    )
    learner = UserFactory(full_name=HOLDER, language="en")
    # A completion through the services: the text lesson, then the quiz answered right.
    enrolment = learning.enrolment_create(run=course.runs.get(), learner=learner)
    lesson, quiz_lesson = (
        enrolment.variant.modules.get().lessons.order_by("position").select_related("quiz")
    )
    learning.lesson_complete(enrolment=enrolment, lesson=lesson)
    question = quiz_lesson.quiz.questions.get()
    right = question.choices.get(correct=True)
    learning.quiz_submit(
        enrolment=enrolment, quiz=quiz_lesson.quiz, answers={question.pk: [right.pk]}
    )
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    public_path = f"/certificates/c/{certificate.code}/"

    # Before: valid for anyone (and that answer is cached for anonymous readers).
    visitor = new_page()
    visitor.goto(public_path)
    expect_verdict(visitor, "valid", "Valid")

    # --- the administrator finds it in the institution's list and revokes it ------------------
    page = new_page()
    sign_in(page, admin.email, PASSWORD)
    page.goto(f"/institutions/{course.owner_id}/")
    section = page.locator("section[aria-labelledby=certificates-h]")
    section.get_by_role(
        "link", name=in_language(page, "%(counter)s certificate issued", counter=1)
    ).click()
    expect(page).to_have_url(re.compile(rf"/certificates/institutions/{course.owner_id}/$"))
    row = page.locator("main tbody tr", has_text=HOLDER)
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text(in_language(page, "Valid"))
    row.get_by_role("link", name=certificate.code).click()

    expect(page).to_have_url(re.compile(re.escape(public_path) + "$"))
    expect_verdict(page, "valid", "Valid")
    page.get_by_role("link", name=in_language(page, "Revoke")).click()
    expect(page).to_have_url(re.compile(rf"/certificates/{certificate.pk}/revoke/$"))
    expect(page.locator("main h1")).to_have_text(in_language(page, "Revoke a certificate"))
    form = page.locator("main form[method=post]")
    form.locator("textarea[name=reason], input[name=reason]").fill(REASON)
    snap(page, "certificates-4-revoke-form")
    with page.expect_navigation():
        form.get_by_role("button", name=in_language(page, "Revoke")).click()

    expect(page).to_have_url(re.compile(re.escape(public_path) + "$"))
    expect(page.locator(".messages .alert-success")).to_have_text(
        in_language(page, "The certificate was revoked.")
    )
    expect_verdict(page, "revoked", "Revoked")
    expect(page.locator("main [role=status][data-outcome]")).to_contain_text(REASON)
    # Nothing more to revoke.
    expect(page.get_by_role("link", name=in_language(page, "Revoke"))).to_have_count(0)
    snap(page, "certificates-4-revoked")

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_reason == REASON
    assert certificate.revoked_by == admin
    assert certificate.revoked_at is not None

    page.goto(f"/certificates/institutions/{course.owner_id}/")
    expect(row.locator(".badge")).to_have_text(in_language(page, "Revoked"))

    # --- anyone: the public page and the verify-by-code form say revoked ----------------------
    visitor.goto(public_path)
    expect_verdict(visitor, "revoked", "Revoked")
    expect(visitor.locator("main [role=status][data-outcome]")).to_contain_text(REASON)

    visitor.goto("/certificates/verify/")
    with translation.override(html_lang(visitor)):
        label = translation.gettext("Verification code or the certificate's address")
    # Typed the way people do: lower case, in two halves.
    code = certificate.code.lower()
    visitor.get_by_label(label).fill(f"{code[:5]}-{code[5:]}")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name=in_language(visitor, "Verify"), exact=True).click()
    expect(visitor).to_have_url(re.compile(r"/certificates/verify/\?code="))
    expect_verdict(visitor, "revoked", "Revoked")
    expect(visitor.locator("main [role=status][data-outcome]")).to_contain_text(REASON)
    snap(visitor, "certificates-4-verify-revoked")
