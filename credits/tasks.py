"""Background work of the credits app."""

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from credits.models import CreditEntry
from portal.email import branded_message


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def credits_added_email_send(entry_id: int) -> None:
    """Tell the customer their credits arrived, in their language; queued once, after the grant commits."""
    entry = CreditEntry.objects.select_related("user").filter(pk=entry_id, delta__gt=0).first()
    if entry is None or entry.user is None or not entry.user.email:
        return
    with translation.override(entry.user.language):
        subject = _("Your credits have been added")
        body = render_to_string(
            "credits/email/credits_added.txt", {"entry": entry, "user": entry.user, "site_url": settings.SITE_URL}
        )
    branded_message(subject=subject, body=body, to=[entry.user.email], language=entry.user.language).send()
