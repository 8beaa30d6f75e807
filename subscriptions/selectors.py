"""Reads of the subscriptions app."""

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone

from payments.models import Payment
from portal.targets import Target, targets_for
from subscriptions.models import Plan, Subscription

KINDS = ("subscription_first", "subscription_recurring")


def plans_available() -> QuerySet[Plan]:
    return Plan.objects.filter(active=True)


def subscriptions_of(*, user) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related("plan")


def subscriptions_open(*, user) -> list[Subscription]:
    """The customer's awaited and running subscriptions, the soonest renewal first (one query)."""
    return list(
        Subscription.objects.filter(user=user, status__in=Subscription.OPEN_STATUSES)
        .select_related("plan")
        .order_by(F("paid_until").asc(nulls_last=True), "pk")
    )


def payments_of(*, subscription: Subscription) -> QuerySet[Payment]:
    return Payment.objects.filter(kind__in=KINDS, object_id=subscription.pk, user_id=subscription.user_id)


@dataclass(frozen=True)
class End:
    """When what a cancelled subscription gives stops."""

    on: datetime.date
    paid: bool  # the end of a paid period (False: cancelled while the current period was unpaid, ends that day)

    @property
    def upcoming(self) -> bool:
        return self.on > timezone.localdate()


def subscription_end(subscription: Subscription) -> End | None:
    """The day what a cancelled subscription gives stops: the end of the paid period, or the day of cancelling.

    The one answer to "until when": the cancellation e-mail, the subscription page and (through the
    ``subscription_cancelled`` signal) the service's end date all come from here.  ``None`` while the
    subscription runs, and for one that never started.  A period is paid when ``paid_until`` lies after
    the day of cancelling; a subscription cancelled while its current period was unpaid (past due) ends
    that same day.
    """
    if subscription.status != Subscription.Status.CANCELLED or subscription.cancelled_at is None:
        return None
    cancelled_on = timezone.localdate(subscription.cancelled_at)
    if subscription.paid_until and subscription.paid_until > cancelled_on:
        return End(on=subscription.paid_until, paid=True)
    return End(on=cancelled_on, paid=False)


def subscription_ends_on(subscription: Subscription) -> datetime.date | None:
    end = subscription_end(subscription)
    return end.on if end else None


def targets_open(*, user) -> list[Target]:
    """The customer's packages and domains a plan can be taken out for: those without a plan running on them.

    A hosting package carries a plan when a running (or awaited) subscription names it, or was taken
    out for its domain (the package that subscription made).  A domain registration is offered only
    while no package of the customer serves that domain (then the package is the choice).
    """
    targets = targets_for(user)
    running = Subscription.objects.filter(user=user, status__in=Subscription.OPEN_STATUSES).values_list(
        "target_ref", "domain"
    )
    refs = {ref for ref, _domain in running if ref}
    domains = {domain for _ref, domain in running if domain}
    served = {target.domain for target in targets if target.kind == "hosting" and target.domain}
    return [
        target
        for target in targets
        if target.ref not in refs
        and not (target.kind == "hosting" and target.domain in domains)
        and not (target.kind == "domain" and target.domain in served)
    ]
