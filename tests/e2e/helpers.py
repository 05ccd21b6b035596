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
    expect(page.locator("#account-menu")).to_be_visible()


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


# --- shared by the course-bank and certificate journeys ------------------------------------


def in_language(page: Page, msgid: object, **params: object) -> str:
    """A message (its msgid or a lazy translation, such as a choice's label) as the page shows
    it in its language (the English text while untranslated); ``params`` fill the %(name)s
    placeholders of a blocktranslate message."""
    from django.utils import translation

    with translation.override(html_lang(page)):
        text = translation.gettext(msgid) if isinstance(msgid, str) else str(msgid)
    return text % params if params else text


def snap(page: Page, name: str) -> None:
    """Keep a screenshot of a key step in test-results/ (failed tests get theirs anyway)."""
    from .conftest import RESULTS_DIR

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)


def mark_lesson_done(page: Page, title: str) -> None:
    """On the learn page, showing lesson ``title``: press "Mark as done"."""
    lesson = page.locator("main article")
    expect(lesson.locator("h2")).to_have_text(title)
    with page.expect_navigation():
        lesson.get_by_role("button", name=in_language(page, "Mark as done")).click()


def pass_quiz(page: Page, title: str, right_answers: list[str]) -> None:
    """On the learn page, showing quiz ``title``: take it, tick ``right_answers`` (the labels
    of the right choices) and submit; lands on the result page, which says it is passed."""
    lesson = page.locator("main article")
    expect(lesson.locator("h2")).to_have_text(title)
    lesson.get_by_role("link", name=in_language(page, "Take the quiz")).click()
    expect(page.locator("main h1")).to_have_text(title)
    form = page.locator("main form[method=post]")
    for label in right_answers:
        form.get_by_label(label, exact=True).check()
    with page.expect_navigation():
        form.get_by_role("button", name=in_language(page, "Submit answers")).click()
    expect(page).to_have_url(re.compile(r"/courses/learn/\d+/attempts/\d+/$"))
    expect(page.locator("main .display-5")).to_have_text("100%")
    expect(page.locator("main .card-body p").first).to_have_text(
        in_language(page, "Passed. Well done!")
    )


def switch_language(page: Page, code: str) -> None:
    """Choose ``code`` in the header's language menu (it sends the choice, then the page is
    shown again in that language)."""
    page.locator("#language-menu").click()
    with page.expect_navigation():
        page.locator(f".lang-menu button.dropdown-item[value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def current_language_choice(page: Page) -> str:
    """The language the header's menu marks as current."""
    return (
        page.locator(".lang-menu button.dropdown-item[aria-current='true']").get_attribute("value")
        or ""
    )
