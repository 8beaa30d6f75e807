"""Background work of the portal kernel: sending the mail every app renders."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(*, subject: str, body: str, to: list[str], alternatives: list | None = None) -> None:
    """Send one rendered email; queued after commit by the services that produce it."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    for content, mimetype in alternatives or []:
        message.attach_alternative(content, mimetype)
    message.send()
