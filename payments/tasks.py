"""Background work of the payments app: the automatic refund of a duplicate payment, and its e-mail.

Tasks take ids and are queued after commit.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from payments.gateway import GatewayError, GatewayRejected

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(GatewayError,), dont_autoretry_for=(GatewayRejected,), retry_backoff=True, max_retries=8)
def payment_duplicate_refund(payment_id: int) -> int | None:
    """Refund a duplicate payment in full, once; returns the refund's id (``None`` when nothing was left).

    The refund is keyed by the payment (``uuid5``): a retry after Mollie answered but before we recorded
    gets Mollie's stored answer, never a second refund.
    """
    import uuid

    from payments.models import Payment, Refund
    from payments.services import RefundRefused, refund_create

    payment = Payment.objects.filter(pk=payment_id, duplicate=True).first()
    if payment is None:
        return None
    refund_uuid = uuid.uuid5(payment.uuid, "duplicate")
    done = Refund.objects.filter(uuid=refund_uuid).first()
    if done is not None:
        return done.pk
    try:
        refund = refund_create(payment=payment, amount=None, staff_user=None, refund_uuid=refund_uuid)
    except RefundRefused:
        logger.warning("duplicate payment %s: nothing left to refund", payment.mollie_id)
        return None
    return refund.pk


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def duplicate_refund_email_send(refund_id: int) -> None:
    """Tell the customer, in their language, that a second payment was refunded in full and why."""
    from payments.models import Refund
    from portal.email import branded_message

    refund = Refund.objects.select_related("payment__user").filter(pk=refund_id, payment__duplicate=True).first()
    user = refund.payment.user if refund is not None else None
    if refund is None or user is None or not user.email:
        return
    payment = refund.payment
    language = getattr(user, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"refund": refund, "payment": payment, "user": user}
        subject = render_to_string("payments/email/duplicate_refunded_subject.txt", context).strip()
        body = render_to_string("payments/email/duplicate_refunded_body.txt", context)
    branded_message(subject=subject, body=body, to=[user.email], language=language).send()
