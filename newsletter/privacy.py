"""Personal data held by the newsletter app (P7 newsletter, P10 advertising)."""

from newsletter.models import (
    AdvertisingPreference,
    AdvertisingPreferenceChange,
    Delivery,
    Newsletter,
    PendingSubscription,
    Subscriber,
)
from privacy.declarations import Declaration, Erase, register
from privacy.register import Event


def _advertising(queryset):
    return queryset.filter(newsletter__kind=Newsletter.Kind.ADVERTISING)


def _unconfirmed(queryset):
    return queryset.filter(confirmed_at__isnull=True)


def _newsletters(queryset):
    return queryset.filter(newsletter__kind=Newsletter.Kind.NEWSLETTER)


register(
    # Unsubscribing deletes the row at once and keeps only the keyed hash (Suppression, no personal data).
    Declaration(
        model=Subscriber,
        purpose="P7",
        fields=("email", "language", "source", "confirmed_at", "consent_ip", "created_at"),
        owner="user",
        email_field="email",
        on_closure=Erase.DELETE,
        until=Event.UNSUBSCRIBED,
        label="Newsletter subscription",
    ),
    # An address added with an account whose owner never confirmed it: not kept without that confirmation.
    Declaration(
        model=Subscriber,
        purpose="P7",
        fields=("email", "language", "source", "confirmed_at", "consent_ip", "created_at"),
        owner="user",
        email_field="email",
        extra_filter=_unconfirmed,
        rule="newsletter_unconfirmed",
        clock="created_at",
        on_closure=Erase.DELETE,
        listed=False,
    ),
    # A visitor's double opt-in that was never confirmed: the link's token points here, 7 days at most.
    Declaration(
        model=PendingSubscription,
        purpose="P7",
        fields=("email", "language", "created_at"),
        owner=None,
        email_field="email",
        rule="newsletter_unconfirmed",
        clock="created_at",
        on_closure=Erase.DELETE,
        label="Newsletter sign-up waiting for confirmation",
    ),
    # The address is blanked when the delivery is claimed; what stays is the hash and the status.
    Declaration(
        model=Delivery,
        purpose="P7",
        fields=("email", "language", "status", "finished_at"),
        owner="user",
        email_field="email",
        extra_filter=_newsletters,
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Newsletters sent to you",
    ),
    Declaration(
        model=Delivery,
        purpose="P10",
        fields=("email", "language", "status", "finished_at"),
        owner="user",
        email_field="email",
        extra_filter=_advertising,
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Advertising emails sent to you",
    ),
    Declaration(
        model=AdvertisingPreference,
        purpose="P10",
        fields=("channel", "allowed", "changed_at"),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Advertising choices",
    ),
    Declaration(
        model=AdvertisingPreferenceChange,
        purpose="P10",
        fields=("channel", "allowed", "method", "origin", "staff_role", "source", "created_at"),
        rule="advertising_history",
        clock="created_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Advertising choices (history)",
    ),
)
