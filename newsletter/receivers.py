"""Receivers of allauth's signals; each calls one service and holds no rules."""

from allauth.account import signals
from django.dispatch import receiver

from newsletter import services


@receiver(signals.email_confirmed)
def _email_confirmed(request, email_address, **kwargs):
    services.subscriber_account_confirm(user=email_address.user, email=email_address.email)


@receiver(signals.email_changed)
def _email_changed(request, user, from_email_address, to_email_address, **kwargs):
    if from_email_address is not None and to_email_address is not None:
        services.subscriber_email_change(
            user=user, old_email=from_email_address.email, new_email=to_email_address.email
        )
