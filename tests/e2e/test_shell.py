"""Journey: the header by keyboard. The language menu sends nothing until a language is
chosen (arrow keys move between choices), asks before leaving unsaved input, and every
control of the header shows where the focus is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

HEADER_CONTROLS = "header a, header button, header select, header input:not([type=hidden])"


@pytest.mark.e2e
def test_the_language_menu_by_keyboard_keeps_the_page(page, transactional_db):  # type: ignore[no-untyped-def]
    page.goto("/accounts/sign-up/")
    url = page.url
    page.locator("main input[type=email]").first.fill("someone@example.org")

    toggle = page.locator("#language-menu")
    toggle.focus()
    page.keyboard.press("Enter")  # opens the menu
    expect(page.locator(".lang-menu .dropdown-menu")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # moves between languages, sends nothing
    page.wait_for_timeout(300)
    assert page.url == url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main input[type=email]").first).to_have_value("someone@example.org")
    page.keyboard.press("Escape")

    # Choosing a language with input not yet sent asks first; declining keeps the input.
    asked: list[str] = []

    def decline(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    toggle.click()
    page.locator(".lang-menu button.dropdown-item[value='ru']").click()
    page.wait_for_timeout(300)
    assert asked and "not saved" in asked[0]
    assert page.url == url
    expect(page.locator("main input[type=email]").first).to_have_value("someone@example.org")

    # Without unsaved input the choice switches at once.
    page.goto("/")
    toggle = page.locator("#language-menu")
    toggle.click()
    with page.expect_navigation():
        page.locator(".lang-menu button.dropdown-item[value='kk']").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")


@pytest.mark.e2e
@pytest.mark.parametrize("width", [390, 1280])
def test_every_header_control_shows_the_focus(page, transactional_db, width):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    if width < 992:  # the bar is collapsed: open it to reach its controls
        page.locator(".navbar-toggler").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#nav-main")).to_be_visible()
    page.locator("body").focus()
    seen = 0
    unclear: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || !el.closest('header')) return null;
              const s = getComputedStyle(el);
              return {name: (el.textContent || el.getAttribute('aria-label') || el.tagName).trim(),
                      style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
            }"""
        )
        if info is None:
            if seen:
                break
            continue
        seen += 1
        if info["style"] == "none" or info["width"] < 2:
            unclear.append(f"{info['name']!r}: {info['style']} {info['width']}px")
    assert seen >= 4, "the header's controls are not reached by Tab"
    assert not unclear, unclear
