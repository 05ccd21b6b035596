"""Journey: an institution administrator invites a person, who accepts and holds the role."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from consilium.accounts.models import User
from consilium.institutions.models import Invitation, Membership

from .helpers import DETAIL_URL, html_lang, sign_in

ADMIN = "admin@kaznmu.demo.consilium.kz"
INVITEE = "new.methodologist@example.org"
ROLE = "methodologist"
LINK = re.compile(r"https?://\S+/institutions/invitations/[^/\s]+/")


def invitation_link(email: str, timeout: float = 10.0) -> str:
    """The acceptance link from the invitation in Django's mail outbox (locmem backend)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if email in message.to:
                found = LINK.search(message.body)
                assert found, f"no invitation link in:\n{message.body}"
                return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {email}; outbox: {[m.to for m in mail.outbox]}")


@pytest.mark.e2e
def test_admin_invites_and_invitee_accepts(new_page, demo, live_server, settings):  # type: ignore[no-untyped-def]
    # Links in e-mails are built on SITE_URL: point it at the test server.
    settings.SITE_URL = live_server.url
    kaznmu = demo.institutions["kaznmu"]
    detail = f"/institutions/{kaznmu.pk}/"

    # --- the administrator ------------------------------------------------------------
    admin = new_page()
    sign_in(admin, ADMIN)
    admin.goto("/accounts/profile/")
    admin.locator(f"main a[href='{detail}']").first.click()
    expect(admin).to_have_url(re.compile(re.escape(detail) + "$"))

    invite_form = admin.locator(f"form[action='{detail}invite/']")
    invite_form.locator("input[name=email]").fill(INVITEE)
    invite_form.locator("select[name=role]").select_option(ROLE)
    with admin.expect_navigation():
        invite_form.locator("button[type=submit]").click()
    expect(admin).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(admin.locator(".alert-success")).to_contain_text(INVITEE)

    invitation = Invitation.objects.get(email=INVITEE, institution=kaznmu)
    assert invitation.role == ROLE
    open_invitation = admin.locator("main .list-group-item", has_text=INVITEE)
    expect(open_invitation).to_have_count(1)
    with translation.override(html_lang(admin)):  # the role as the page names it
        role_label = str(invitation.get_role_display())
    expect(open_invitation).to_contain_text(role_label)
    expect(
        open_invitation.locator(f"form[action='{detail}invitations/{invitation.pk}/cancel/']")
    ).to_have_count(1)

    # --- the invitee, in a browser of their own ---------------------------------------
    link = invitation_link(INVITEE)
    assert link.startswith(live_server.url), link
    invitee = new_page()
    invitee.goto(link)
    form = invitee.locator("main form[method=post]")
    form.locator("input[name=full_name]").fill("Aliya Nurpeisova")
    form.locator("input[name=password1]").fill("Steppe-Lantern-4821")
    form.locator("input[name=password2]").fill("Steppe-Lantern-4821")
    with invitee.expect_navigation():
        form.locator("button[type=submit]").click()

    expect(invitee).to_have_url(DETAIL_URL)
    assert DETAIL_URL.search(invitee.url).group(1) == str(kaznmu.pk)
    expect(invitee.locator(".alert-success")).to_be_visible()
    expect(invitee.locator("#account-menu")).to_contain_text("Aliya")
    expect(invitee.locator("main h1")).to_have_text(
        re.compile(re.escape(kaznmu.name_en) + "|" + re.escape(kaznmu.name_kk))
    )

    user = User.objects.get(email=INVITEE)
    assert user.full_name == "Aliya Nurpeisova"
    assert Membership.objects.filter(user=user, institution=kaznmu, role=ROLE).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user

    # The role is theirs: their profile lists it with a link to the institution.
    invitee.goto("/accounts/profile/")
    expect(invitee.locator(f"main .list-group-item a[href='{detail}']")).to_have_count(1)

    # And the administrator no longer sees the invitation as open.
    admin.reload()
    expect(admin.locator("main .list-group-item", has_text=INVITEE)).to_have_count(0)
