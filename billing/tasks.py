"""Background work of the billing app: mail an invoice or credit note as PDF.  Tasks take ids."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def document_email_send(kind: str, document_id: int) -> None:
    """Mail one invoice (of a subscription payment) or credit note, with its PDF, queued after it was issued."""
    from billing.emails import document_email

    message = document_email(kind=kind, document_id=document_id)
    if message is not None:
        message.send()
