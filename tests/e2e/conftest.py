"""Browser fixtures for the end-to-end journeys (run with `make e2e`).

The tests drive Debian's Chromium (never a browser that Playwright downloads) against
pytest-django's ``live_server``, which runs in a thread of the test process: the database,
the settings and ``django.core.mail.outbox`` are shared with the test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the tests make (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
TIMEOUT_MS = 15_000
# What Chromium writes to the console when a page breaks its own policies.
POLICY_MARKS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the item so that fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not at {CHROMIUM}: apt-get install chromium", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, request: pytest.FixtureRequest) -> Iterator:
    """A factory of pages, each in its own browser context (its own cookies: its own person).

    When the test fails, every page it opened is saved to test-results/ as a screenshot and
    its HTML. A server error (5xx) on any page, or anything the Content-Security-Policy or the
    Permissions-Policy refuses (the browser says so in the console), fails the test even when
    its assertions held.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    contexts = []
    server_errors: list[str] = []

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 500 and response.url.startswith(live_server.url):
            server_errors.append(f"{response.request.method} {response.url} -> {response.status}")

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        text = message.text
        if any(mark in text for mark in POLICY_MARKS):
            server_errors.append(f"{message.page.url if message.page else ''}: {text}")

    def make(locale: str = "en-GB"):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("response", on_response)
        context.on("console", on_console)
        contexts.append(context)
        return context.new_page()

    yield make

    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    if failed:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
    for c_index, context in enumerate(contexts):
        if failed:
            for p_index, page in enumerate(context.pages):
                base = RESULTS_DIR / f"{stem}-{c_index}-{p_index}"
                try:
                    page.screenshot(path=f"{base}.png", full_page=True)
                    Path(f"{base}.html").write_text(page.content(), encoding="utf-8")
                    print(f"\nsaved {base}.png ({page.url})")
                except Exception as exc:  # the page may be gone; the report matters more
                    print(f"\ncould not save {base}.png: {exc}")
        context.close()
    if server_errors:
        message = "server errors or refused content in the browser:\n  " + "\n  ".join(
            server_errors
        )
        if failed:
            print(f"\n{message}")
        else:
            pytest.fail(message, pytrace=False)


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    """One page in a fresh browser context."""
    return new_page()


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    """The demo network (seed institutions and demo accounts), built through its services."""
    from consilium.demo.services import build

    return build()
