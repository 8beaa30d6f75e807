"""How the subscriptions app reacts to other apps' events."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.closure import ClosureBlocked
from payments.gateway import GatewayError
from subscriptions import services
from subscriptions.models import Subscription


def account_closing(sender, *, user, **kwargs) -> None:
    """Before an account is erased, every running subscription is cancelled, at Mollie first.

    Cancelling stops the charges and starts the subscription's seven-year clock (``cancelled_at``);
    closure then detaches the fiscal snapshot.  When Mollie cannot be reached nothing is erased: the
    customer is asked to try again (a detached subscription still charging is what this prevents).
    """
    running = Subscription.objects.filter(
        user=user, status__in=[Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE]
    )
    for subscription in running.order_by("pk"):
        try:
            services.subscription_cancel(subscription=subscription, user=user, notify=False)
        except GatewayError as error:
            raise ClosureBlocked(
                _(
                    "We could not cancel your subscription at our payment provider just now, so we have not closed "
                    "your account. Please try again in a few minutes."
                )
            ) from error
    # A subscription whose first payment never came has nothing at Mollie to cancel: it just ends.
    services.subscriptions_pending_end(user=user)


def closure_ends(user) -> list[str]:
    """What closure will end of this app, for the confirmation page (``accounts.closure.register_ending``)."""
    running = Subscription.objects.filter(
        user=user, status__in=[Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE]
    ).select_related("plan")
    return [
        _("Subscription “%(plan)s”: cancelled at our payment provider, nothing is charged any more")
        % {"plan": subscription.plan.title}
        for subscription in running.order_by("pk")
    ]


def refund_effect(payment, amount) -> list:
    """For finance's refund confirmation: a refund of a plan's payment does not end the plan.

    A plan ends by cancellation (the customer's, or closure's), never by a refund: Mollie goes on
    charging.  Finance reads that before confirming, with the date of the next charge.
    """
    from payments.handlers import RefundEffect

    if payment.kind not in (services.FIRST, services.RECURRING):
        return []
    subscription = Subscription.objects.filter(pk=payment.object_id, user__isnull=False).select_related("plan").first()
    if subscription is None or not subscription.can_cancel:
        return []
    return [
        RefundEffect(
            _(
                "This refund does not cancel subscription “%(plan)s”: it keeps running and is charged again after "
                "%(date)s. Only a cancellation (by the customer, on their subscriptions page) stops it."
            )
            % {"plan": subscription.plan.title, "date": date_format(subscription.paid_until, "j F Y")},
            warning=True,
        )
    ]
