"""Background tasks shared by all apps (Django's tasks API via the django-tasks backport)."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; queued so that a slow mail server never blocks a page."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@task()
def run_job(*, job_id: int) -> str:
    """Run one background job (``core/jobs.py``): an import with a progress bar, say."""
    from consilium.core.jobs import job_run

    return job_run(job_id)
