"""The behaviours that moved out of inline scripts into static files still work under the
Content-Security-Policy, and the browser reports no refused script or style on the way (the
``new_page`` fixture fails a test on any such console message)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import sign_in

pytestmark = pytest.mark.e2e

NETWORK_ADMIN = "network.admin@demo.consilium.kz"
COORDINATOR = "coordinator@kaznmu.demo.consilium.kz"


def test_charts_formsets_and_token_field_run_from_static_files(new_page, demo):  # type: ignore[no-untyped-def]
    admin = new_page()
    sign_in(admin, NETWORK_ADMIN)
    response = admin.goto(reverse("courses:network_stats"))
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    # charts.js drew every chart (Chart.js keeps an instance per canvas).
    canvases = admin.locator("canvas[data-chart]")
    expect(canvases.first).to_be_visible()
    drawn = admin.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".every((c) => Chart.getChart(c) !== undefined)"
    )
    assert drawn and canvases.count() >= 1
    # The chart box has its height from the stylesheet, not from a style attribute.
    height = admin.evaluate(
        "() => document.querySelector('.stats-chart').getBoundingClientRect().height"
    )
    assert height >= 250

    # A new API token is selected whole when its field gets the focus.
    admin.goto(reverse("accounts:tokens"))
    form = admin.locator("main form[method=post]").first
    form.locator("input[name=name]").fill("nightly export")
    with admin.expect_navigation():
        form.locator("button[type=submit]").click()
    token = admin.locator("#new-token")
    token.focus()
    selected = admin.evaluate(
        "() => { const t = document.getElementById('new-token');"
        " return t.selectionStart === 0 && t.selectionEnd === t.value.length && t.value.length > 10; }"
    )
    assert selected

    # The agreement form's "add a party" button adds a numbered party from the template.
    coordinator = new_page()
    sign_in(coordinator, COORDINATOR)
    coordinator.goto(reverse("partnerships:agreement_create"))
    total = coordinator.locator("#id_party-TOTAL_FORMS")
    before = int(total.input_value())
    coordinator.locator("[data-add-form=party]").click()
    expect(total).to_have_value(str(before + 1))
    expect(coordinator.locator(f"select[name=party-{before}-institution]")).to_have_count(1)


def test_api_docs_and_admin_render_under_the_policy(new_page, transactional_db):  # type: ignore[no-untyped-def]
    """Pages whose templates are not ours (django-ninja's Swagger UI, Django's admin) keep
    working under the same policy."""
    from consilium.accounts.testing import PASSWORD, UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    page = new_page()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Consilium API")
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    page.goto("/admin/accounts/user/add/")
    expect(page.locator("#user_form")).to_be_visible()
