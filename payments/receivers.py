"""How the payments app reacts to other apps' events."""

import logging

from django.utils.translation import gettext as _

from accounts.closure import ClosureBlocked
from payments import services
from payments.gateway import GatewayError
from payments.models import Payment

logger = logging.getLogger(__name__)


def account_closing(sender, *, user, **kwargs) -> None:
    """Before an account is erased, every payment of it that can still be paid is cancelled at Mollie.

    Otherwise a checkout left open in another tab could still take money from a customer we no longer
    know.  When Mollie cannot be reached nothing is erased: the customer is asked to try again.  A payment
    Mollie will not cancel (already on its way at the bank) is left to finish: it stays a fiscal record and
    an order paid after closure is refunded by finance like any other.
    """
    for payment in Payment.objects.filter(user=user, status__in=Payment.LIVE_STATUSES).order_by("pk"):
        try:
            payment = services.payment_cancel(payment=payment)
        except GatewayError as error:
            raise ClosureBlocked(
                _(
                    "We could not cancel your open payment at our payment provider just now, so we have not "
                    "closed your account. Please try again in a few minutes."
                )
            ) from error
        if payment.status in Payment.LIVE_STATUSES:
            logger.info(
                "closure: payment %s is %s at Mollie and cannot be cancelled", payment.mollie_id, payment.status
            )
