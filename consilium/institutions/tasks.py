"""Background tasks of the directory: the invitation e-mail.

The task carries the invitation's id only. The link's token is kept sealed on the invitation
(``core/crypto.py``, a key derived from SECRET_KEY) until the mail is sent, then emptied: the
task table never holds a bearer token, and the invitations table holds it only encrypted,
and only until it is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from consilium.core.crypto import unseal
from consilium.institutions.models import Invitation

INVITATION_SEAL = "institutions.invitation"  # the purpose of the sealing key


def invitation_url(raw: str) -> str:
    return settings.SITE_URL + reverse("institutions:invitation_accept", args=[raw])


@task()
def send_invitation(*, invitation_id: int) -> int:
    """Send the invitation e-mail with its link, in the invitee's language; 0 when there is
    nothing to send (accepted, cancelled or expired meanwhile, or sent already). A failed send
    raises, so the task stays in the table as failed and the sealed token stays for a retry."""
    invitation = (
        Invitation.objects.select_related("institution", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return 0
    raw = unseal(INVITATION_SEAL, bytes(invitation.token_sealed))
    if raw is None:
        return 0  # sent already, or sealed under a SECRET_KEY no longer known: invite again
    context = {
        "invitation": invitation,
        "url": invitation_url(raw),
        "inviter": invitation.invited_by,
        "days": settings.INVITATION_DAYS,
    }
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        subject = _("Invitation to %(institution)s on Consilium") % {
            "institution": invitation.institution.name
        }
        body = render_to_string("institutions/email/invitation.txt", context)
    sent = send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    Invitation.objects.filter(pk=invitation.pk).update(token_sealed=b"")
    return sent
