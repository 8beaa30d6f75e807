"""Background work of the portal kernel: sending the mail every app renders."""

from celery import shared_task

from portal.email import branded_message


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    alternatives: list | None = None,
    language: str | None = None,
) -> None:
    """Send one rendered email in Netrex's look; queued after commit by the services that produce it.

    ``language`` is the one the body was rendered in (the HTML layout follows it); ``alternatives`` carries
    a sender's own HTML version (allauth's HTML templates).
    """
    html = next((content for content, mimetype in alternatives or [] if mimetype == "text/html"), None)
    branded_message(subject=subject, body=body, to=to, language=language, html=html).send()
