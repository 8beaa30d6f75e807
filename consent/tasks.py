"""Background work of the consent app: announcing a new privacy statement version to every customer (C37)."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from consent.models import StatementNotice, StatementVersion
from portal.tasks import email_send

ANNOUNCE_BATCH = 200


def _announce_one(*, user: User, version: StatementVersion) -> bool:
    """Email ``user`` about ``version`` unless that was done before; the email is queued after commit."""
    with transaction.atomic():
        notice, _created = StatementNotice.objects.select_for_update().get_or_create(user=user, version=version)
        if notice.emailed_at is not None:
            return False
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "version": version,
                "summary": version.summary(translation.get_language()),
                "url": settings.SITE_URL.rstrip("/") + reverse("consent:statement"),
            }
            subject = render_to_string("consent/email/statement_changed_subject.txt", context).strip()
            body = render_to_string("consent/email/statement_changed_body.txt", context)
        email_send.delay_on_commit(subject=subject, body=body, to=[user.email])
    return True


@shared_task
def statement_announce(version_id: int, after_id: int = 0) -> int:
    """Email one batch of customers about a published version, then queue the next batch.

    Idempotent per customer and version (``StatementNotice.emailed_at``): re-running it, or running
    it twice at once, sends nobody a second email.  Returns how many were emailed in this batch.
    """
    version = StatementVersion.objects.filter(pk=version_id, published_at__isnull=False).first()
    if version is None:
        return 0
    batch = list(
        User.objects.filter(pk__gt=after_id, is_active=True, is_staff=False, date_joined__lt=version.published_at)
        .exclude(email="")
        .order_by("pk")[:ANNOUNCE_BATCH]
    )
    sent = sum(_announce_one(user=user, version=version) for user in batch)
    if len(batch) == ANNOUNCE_BATCH:
        statement_announce.delay(version_id, batch[-1].pk)
    return sent
