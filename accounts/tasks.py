"""Background work of the accounts app."""

from celery import shared_task
from django.core import management
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(*, subject: str, body: str, to: list[str], alternatives: list | None = None) -> None:
    """Send one rendered email; queued after commit by the services that produce it."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    for content, mimetype in alternatives or []:
        message.attach_alternative(content, mimetype)
    message.send()


@shared_task
def sessions_clear_expired() -> None:
    management.call_command("clearsessions")
