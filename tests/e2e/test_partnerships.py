"""Journeys of the partnerships module.

a. Two coordinators, each in a browser of their own, take a memorandum from the form to a
   signed agreement with its scan, and both institutions' pages list it as signed.
b. A ministry observer reads the programme report in Russian.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from consilium.accounts import services as account_services
from consilium.accounts.models import User
from consilium.accounts.testing import PASSWORD
from consilium.institutions.testing import member
from consilium.partnerships.demo import PAIRS, PROGRAMME_TITLE
from consilium.partnerships.models import (
    Agreement,
    AgreementStatus,
    Approval,
    Document,
    Programme,
)

from .helpers import current_language_choice, html_lang, sign_in, switch_language

COORDINATOR = "coordinator@kaznmu.demo.consilium.kz"  # Saule Tulegenova, works in Russian
PARTNER = "partnerships@lund.example.org"
OBSERVER = "observer@demo.consilium.kz"
AGREEMENT_URL = re.compile(r"/partnerships/agreements/(\d+)/$")
TITLE = "Memorandum of cooperation: KazNMU and Lund University"


def minimal_pdf(text: str) -> bytes:
    """A small but well-formed one-page PDF (header, objects, cross-reference table)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def in_language(page: Page, text: object) -> str:
    """A message (its msgid or a lazy translation) as the page, in its language, shows it."""
    with translation.override(html_lang(page)):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def submit(page: Page, form) -> None:  # type: ignore[no-untyped-def]
    """Submit a form with its submit button and wait for the page that answers."""
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def expect_success(page: Page) -> None:
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page.locator(".messages .alert-danger")).to_have_count(0)


def approve(page: Page, party_pk: int, version: int) -> None:
    form = page.locator(
        "main form[action$='/approve/']", has=page.locator(f"input[name=party][value='{party_pk}']")
    )
    expect(form.locator("input[name=version]")).to_have_value(str(version))
    submit(page, form)
    expect_success(page)


def move_to(page: Page, status: str, signed_on: str = "") -> None:
    form = page.locator("main form[action$='/transition/']")
    form.locator("select[name=to]").select_option(status)
    if signed_on:
        form.locator("input[name=signed_on]").fill(signed_on)
    submit(page, form)
    expect_success(page)
    expect(page.locator("main h1 + div .badge")).to_have_class(re.compile(rf"\bstatus-{status}\b"))


def agreement_on_institution_page(page: Page, institution_pk: int, agreement_pk: int):  # type: ignore[no-untyped-def]
    page.goto(f"/institutions/{institution_pk}/")
    section = page.locator("section[aria-labelledby=agreements-h]")
    expect(section.locator("#agreements-h")).to_have_text(in_language(page, "Agreements"))
    return section.locator(
        "li", has=page.locator(f"a[href='/partnerships/agreements/{agreement_pk}/']")
    )


@pytest.mark.e2e
def test_two_coordinators_negotiate_and_sign_a_memorandum(new_page, demo, tmp_path):  # type: ignore[no-untyped-def]
    kaznmu = demo.institutions["kaznmu"]
    lund = demo.institutions["lund"]
    partner_user = member(
        "partnership_coordinator",
        institution=lund,
        email=PARTNER,
        full_name="Anna Lindqvist",
        language="en",
    )
    today = timezone.localdate()

    # --- KazNMU's coordinator drafts the memorandum -----------------------------------
    coordinator = new_page()
    sign_in(coordinator, COORDINATOR)
    assert html_lang(coordinator) == "ru"  # her own language, from her account
    coordinator.goto("/partnerships/agreements/new/")
    form = coordinator.locator("main form[method=post]")
    form.locator("select[name=kind]").select_option("memorandum")
    form.locator("input[name=title_en]").fill(TITLE)
    form.locator("input[name=valid_from]").fill(today.replace(day=1).isoformat())
    form.locator("input[name=valid_until]").fill(
        today.replace(year=today.year + 5, day=1).isoformat()
    )
    for value in ("mobility", "research"):
        form.locator(f"input[name=cooperation][value={value}]").check()

    # Her own university is proposed as the first party; the second is for her to choose.
    expect(form.locator("select[name=party-0-institution]")).to_have_value(str(kaznmu.pk))
    form.locator("select[name=party-0-role]").select_option("domestic")
    form.locator("input[name=party-0-signatory]").fill("Rector of KazNMU")
    form.locator("select[name=party-1-institution]").select_option(str(lund.pk))
    form.locator("select[name=party-1-role]").select_option("foreign")
    form.locator("input[name=party-1-contact_name]").fill("Anna Lindqvist")
    form.locator("input[name=party-1-contact_email]").fill(PARTNER)
    submit(coordinator, form)

    expect(coordinator).to_have_url(AGREEMENT_URL)
    expect_success(coordinator)
    pk = int(AGREEMENT_URL.search(coordinator.url).group(1))
    detail = f"/partnerships/agreements/{pk}/"
    agreement = Agreement.objects.get(pk=pk)
    assert agreement.kind == "memorandum"
    assert agreement.title_en == TITLE
    assert agreement.status == AgreementStatus.PROPOSED
    assert sorted(agreement.forms.values_list("form", flat=True)) == ["mobility", "research"]
    parties = {p.institution_id: p for p in agreement.parties.all()}
    assert set(parties) == {kaznmu.pk, lund.pk}
    assert parties[kaznmu.pk].role == "domestic"
    assert parties[lund.pk].role == "foreign"
    version = agreement.versions.get().number
    # No Russian title was given: the page falls back to the English one.
    expect(coordinator.locator("main h1")).to_have_text(TITLE)
    party_items = coordinator.locator("section[aria-labelledby=parties-h] li")
    expect(party_items).to_have_count(2)
    # The draft waits for both; she may approve for KazNMU only.
    expect(party_items.locator(".badge.text-bg-warning")).to_have_count(2)
    expect(coordinator.locator("main form[action$='/approve/']")).to_have_count(1)

    # --- Lund's coordinator, in a browser of her own, approves the version ------------
    partner = new_page()
    sign_in(partner, PARTNER, PASSWORD)
    assert html_lang(partner) == "en"
    partner.goto(detail)
    expect(partner.locator("main h1")).to_have_text(TITLE)
    expect(partner.locator("main form[action$='/approve/']")).to_have_count(1)
    approve(partner, parties[lund.pk].pk, version)
    expect(partner.locator(".messages .alert-success")).to_contain_text(lund.name_en)
    lund_item = partner.locator("section[aria-labelledby=parties-h] li", has_text=lund.name_en)
    expect(lund_item.locator(".badge.text-bg-success")).to_have_text(f"approved v{version}")
    expect(partner.locator("main form[action$='/approve/']")).to_have_count(0)
    approval = Approval.objects.get(party=parties[lund.pk])
    assert (approval.approved_by, approval.version.number) == (partner_user, version)

    # --- KazNMU approves too, then takes it through negotiation to signing -------------
    coordinator.reload()
    expect(
        coordinator.locator("section[aria-labelledby=parties-h] .badge.text-bg-success")
    ).to_have_count(1)
    approve(coordinator, parties[kaznmu.pk].pk, version)
    expect(party_items.locator(".badge.text-bg-success")).to_have_count(2)
    expect(
        coordinator.locator("section[aria-labelledby=negotiation-h] .text-success")
    ).to_have_text(in_language(coordinator, "Every party approves this version: it can be signed."))
    move_to(coordinator, AgreementStatus.NEGOTIATING)
    move_to(coordinator, AgreementStatus.SIGNED, signed_on=today.isoformat())
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_on == today
    # Signed: no longer a draft, so neither editing nor approving is offered.
    expect(coordinator.locator("section[aria-labelledby=negotiation-h]")).to_have_count(0)
    expect(coordinator.locator(f"main a[href='{detail}edit/']")).to_have_count(0)

    # --- the signed scan ---------------------------------------------------------------
    scan = tmp_path / "signed-memorandum.pdf"
    scan.write_bytes(minimal_pdf("Signed: KazNMU and Lund University"))
    upload = coordinator.locator("main form[action$='/documents/']")
    upload.locator("select[name=kind]").select_option("signed")
    upload.locator("input[name=title]").fill("Signed memorandum")
    upload.locator("input[name=file]").set_input_files(str(scan))
    submit(coordinator, upload)
    expect(coordinator).to_have_url(re.compile(re.escape(detail) + "#documents$"))
    expect_success(coordinator)
    document = Document.objects.get(agreement=agreement)
    assert (document.kind, document.title, document.version) == ("signed", "Signed memorandum", 1)
    assert document.content_type == "application/pdf"
    link = coordinator.locator(f"#documents a[href='{detail}documents/{document.pk}/']")
    expect(link).to_have_text("Signed memorandum")
    # The other party can fetch the very same file.
    partner.reload()
    response = partner.request.get(f"{detail}documents/{document.pk}/")
    assert response.ok, response.status
    assert response.body() == scan.read_bytes()

    # --- both institutions' pages list it as signed, for both coordinators --------------
    for page in (coordinator, partner):
        signed = in_language(page, AgreementStatus.SIGNED.label)
        for home, other in ((kaznmu, lund), (lund, kaznmu)):
            item = agreement_on_institution_page(page, home.pk, pk)
            expect(item).to_have_count(1)
            expect(item.locator(".badge.status-signed")).to_have_text(signed)
            with translation.override(html_lang(page)):
                other_name = other.display_short
            expect(item.locator(".small")).to_contain_text(other_name)


@pytest.mark.e2e
def test_observer_reads_the_programme_report_in_russian(page, demo):  # type: ignore[no-untyped-def]
    # Start the observer in English so that the switch to Russian is a visible change.
    observer = User.objects.get(email=OBSERVER)
    account_services.user_set_language(user=observer, language="en")
    programme = Programme.objects.get(title_en=PROGRAMME_TITLE)
    title_ru = programme.title_ru
    assert title_ru and title_ru != PROGRAMME_TITLE
    assert title_ru.startswith("Стратегическое партнёрство медицинских вузов")

    sign_in(page, OBSERVER)
    assert html_lang(page) == "en"
    switch_language(page, "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert current_language_choice(page) == "ru"
    observer.refresh_from_db()
    assert observer.language == "ru"

    # Programmes → the programme → Report, through the links of the pages.
    with translation.override("ru"):
        programmes_label = translation.gettext("Programmes")
        report_label = translation.gettext("Report")
    nav = page.locator("#nav-main a.nav-link[href='/partnerships/programmes/']")
    expect(nav).to_have_text(programmes_label)
    nav.click()
    expect(page).to_have_url(re.compile(r"/partnerships/programmes/$"))
    programme_link = page.locator(f"main a[href='/partnerships/programmes/{programme.pk}/']")
    expect(programme_link).to_have_text(title_ru)
    programme_link.click()
    expect(page).to_have_url(re.compile(rf"/partnerships/programmes/{programme.pk}/$"))
    expect(page.locator("main h1")).to_have_text(title_ru)
    report_link = page.locator(f"main a[href='/partnerships/programmes/{programme.pk}/report/']")
    expect(report_link).to_contain_text(report_label)
    report_link.click()
    expect(page).to_have_url(re.compile(rf"/partnerships/programmes/{programme.pk}/report/$"))

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("main h1")).to_contain_text(title_ru)
    assert PROGRAMME_TITLE not in page.locator("main h1").inner_text()

    # The six pairs, each under the short names of its two universities (in Russian).
    pairs = page.locator("main section.card")
    expect(pairs).to_have_count(len(PAIRS))
    with translation.override("ru"):
        expected = [
            (demo.institutions[home].display_short, demo.institutions[foreign].display_short)
            for home, foreign, *_rest in PAIRS
        ]
    headings = [h.strip() for h in pairs.locator("h2").all_inner_texts()]
    for home, foreign in expected:
        matching = [h for h in headings if home in h and foreign in h]
        assert len(matching) == 1, (home, foreign, headings)
    # Each pair shows its phase I result and its goal for 2017–2018.
    for _home, _foreign, _focus, result, goal in PAIRS:
        expect(pairs.filter(has_text=result).filter(has_text=goal)).to_have_count(1)
