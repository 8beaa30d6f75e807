"""Background work of the newsletter app: tasks take ids and are safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from accounts.models import User
from newsletter import mail, services, tokens
from newsletter.models import Newsletter


@shared_task(acks_late=True)
def newsletter_send(newsletter_id: int) -> None:
    """Send one batch, then queue the next; a redelivered or duplicated task sends nobody twice."""
    if services.newsletter_send_batch(newsletter_id=newsletter_id):
        newsletter_send.delay(newsletter_id)


@shared_task
def newsletter_resume_stalled() -> int:
    """Periodic: pick up sends whose task died with the worker (every delivery is claimed once)."""
    cutoff = timezone.now() - timedelta(minutes=10)
    stalled = list(
        Newsletter.objects.filter(status=Newsletter.Status.SENDING, started_at__lt=cutoff)
        .exclude(deliveries__claimed_at__gte=cutoff)
        .values_list("pk", flat=True)
        .distinct()
    )
    for newsletter_id in stalled:
        newsletter_send.delay(newsletter_id)
    return len(stalled)


@shared_task
def newsletter_test_deliver(newsletter_id: int, staff_id: int) -> None:
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    staff = User.objects.get(pk=staff_id)
    for language in ("nl", "en"):
        opt_out = mail.opt_out_url(
            newsletter=newsletter, language=language, recipient=tokens.email_digest(staff.email), user_id=staff.pk
        )
        mail.newsletter_message(
            newsletter=newsletter, email=staff.email, language=language, opt_out=opt_out, test=True
        ).send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def message_send(*, subject: str, body: str, to: list[str], headers: dict, language: str | None = None) -> None:
    from portal.email import branded_message

    branded_message(subject=subject, body=body, to=to, headers=headers, language=language).send()
