"""Reads of the subscriptions app."""

from django.db.models import QuerySet

from payments.models import Payment
from subscriptions.models import Plan, Subscription

KINDS = ("subscription_first", "subscription_recurring")


def plans_available() -> QuerySet[Plan]:
    return Plan.objects.filter(active=True)


def subscriptions_of(*, user) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related("plan")


def payments_of(*, subscription: Subscription) -> QuerySet[Payment]:
    return Payment.objects.filter(kind__in=KINDS, object_id=subscription.pk, user_id=subscription.user_id)
