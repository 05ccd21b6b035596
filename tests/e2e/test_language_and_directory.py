"""Journey: sign in, switch the interface to Kazakh, find an institution by a Latin spelling."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from consilium.accounts.models import User

from .helpers import DETAIL_URL, current_language_choice, html_lang, sign_in, switch_language

# An English-speaking demo account, so that switching to Kazakh is a visible change.
EMAIL = "coordinator@duke.demo.consilium.kz"


def search(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the directory's search box and wait for htmx to swap in the results."""
    box = page.locator("#id_q")
    with page.expect_response(lambda r: "/institutions/?" in r.url and "q=" in r.url):
        box.fill(query)
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))


@pytest.mark.e2e
def test_kazakh_interface_and_latin_search(page, demo):  # type: ignore[no-untyped-def]
    kaznmu = demo.institutions["kaznmu"]
    ksmu = demo.institutions["ksmu"]

    sign_in(page, EMAIL)
    assert html_lang(page) == "en"

    # The language menu in the navbar: a choice is sent only when it is made.
    switch_language(page, "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert current_language_choice(page) == "kk"
    expect(page).to_have_url(re.compile(r"/$"))  # back where the switch was made
    assert User.objects.get(email=EMAIL).language == "kk"

    # The directory, through the navbar, whose label now comes from the Kazakh catalogue
    # (the English text until that message is translated).
    with translation.override("kk"):
        directory_label = translation.gettext("Directory")
    nav_directory = page.locator("#nav-main a.nav-link[href='/institutions/']")
    expect(nav_directory).to_have_text(directory_label)
    nav_directory.click()
    expect(page).to_have_url(re.compile(r"/institutions/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    results = page.locator("#results")

    # Kazakh in the 2021 Latin alphabet finds the Cyrillic record.
    search(page, "Qaraǵandy")
    expect(results.locator(f"a[href='/institutions/{ksmu.pk}/']")).to_have_text(ksmu.name_kk)
    expect(results.locator(f"a[href='/institutions/{kaznmu.pk}/']")).to_have_count(0)

    # An English transliteration finds KazNMU, shown under its Kazakh name.
    search(page, "Asfendiyarov")
    link = results.locator(f"a[href='/institutions/{kaznmu.pk}/']")
    expect(link).to_have_text(kaznmu.name_kk)
    expect(results.locator(f"a[href='/institutions/{ksmu.pk}/']")).to_have_count(0)

    link.click()
    expect(page).to_have_url(DETAIL_URL)
    assert DETAIL_URL.search(page.url).group(1) == str(kaznmu.pk)
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("main h1")).to_have_text(kaznmu.name_kk)
    expect(page.locator("main td[lang=kk]")).to_contain_text(kaznmu.name_kk)
    assert current_language_choice(page) == "kk"
