"""Background work of the accounts app."""

from celery import shared_task
from django.core import management


@shared_task(name="accounts.tasks.email_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send_queued_before_the_move(**kwargs) -> None:
    """Mail queued under this task's old name before it moved to ``portal.tasks`` (messages in flight at deploy)."""
    from portal.tasks import email_send

    email_send(**kwargs)


@shared_task
def sessions_clear_expired() -> None:
    management.call_command("clearsessions")
