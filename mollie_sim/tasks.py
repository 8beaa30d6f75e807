"""The simulator calls the webhook the way Mollie does: a form post with only the id, retried on failure.

Mollie retries a webhook that does not answer 2xx, with growing pauses, up to ten times; so does
this task (``MOLLIE_SIM_WEBHOOK_TRIES`` attempts, backoff 60 s, 120 s, 240 s, ...).  Every attempt is
kept as a ``SimWebhookCall``.
"""

import logging

import requests
from celery import shared_task
from django.conf import settings

from mollie_sim.models import SimPayment, SimWebhookCall

logger = logging.getLogger(__name__)


@shared_task
def webhook_deliver(payment_id: int, attempt: int = 1) -> bool:
    payment = SimPayment.objects.filter(pk=payment_id).first()
    if payment is None or not payment.webhook_url:
        return False
    call = SimWebhookCall(payment=payment, url=payment.webhook_url, attempt=attempt)
    try:
        response = requests.post(payment.webhook_url, data={"id": payment.sim_id}, timeout=15)
        call.status_code = response.status_code
        delivered = 200 <= response.status_code < 300
    except requests.RequestException as exc:
        call.error = str(exc)[:255]
        delivered = False
    call.save()
    if delivered:
        return True
    tries = settings.MOLLIE_SIM_WEBHOOK_TRIES
    if attempt >= tries:
        logger.warning("webhook for %s gave up after %d attempts", payment.sim_id, attempt)
        return False
    # the next attempt is a new message with a countdown (run at once when tasks are eager, as in tests)
    webhook_deliver.apply_async(
        args=(payment_id,),
        kwargs={"attempt": attempt + 1},
        countdown=settings.MOLLIE_SIM_WEBHOOK_BACKOFF * 2 ** (attempt - 1),
    )
    return False
