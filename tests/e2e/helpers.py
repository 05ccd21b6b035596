"""Steps that several journeys share."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

DEMO_PASSWORD = "consilium-demo"
DETAIL_URL = re.compile(r"/institutions/(\d+)/$")


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form and land on the home page."""
    page.goto("/accounts/sign-in/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    # The account menu replaces the "Sign in" button of the navbar.
    expect(page.locator("#nav-main .dropdown-toggle")).to_be_visible()


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""
