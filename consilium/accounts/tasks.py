"""Background tasks of the accounts (Django's tasks API, see ``core/tasks.py``)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from consilium.accounts.models import User


@task()
def send_password_reset(*, user_id: int) -> int:
    """Send a person the link to choose a new password, in their language; 0 when there is
    nobody to send it to any more (the account is gone, deactivated or has no usable password).

    The task carries the person's id only: the link, and the one-time token in it, are made
    here when the mail is sent, so no bearer token waits in the task table. A failed send
    raises, so the task stays in the table as failed, with its traceback.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return 0
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.language or settings.LANGUAGE_CODE):
        # A subject is one line, whatever the template or its translation holds.
        subject = " ".join(render_to_string("accounts/email/password_reset_subject.txt").split())
        body = render_to_string(
            "accounts/email/password_reset.txt", {"url": settings.SITE_URL + path, "user": user}
        )
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
