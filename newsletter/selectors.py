"""Reads of the newsletter app: who may receive what, and what a customer has chosen."""

from collections.abc import Iterator

from allauth.account.models import EmailAddress
from django.db.models import BooleanField, CharField, Count, Exists, OuterRef, Q, QuerySet, Value

from accounts.models import User
from newsletter import tokens
from newsletter.models import (
    AdvertisingPreference,
    AdvertisingPreferenceChange,
    Channel,
    Newsletter,
    Subscriber,
    Suppression,
)

_NEWSLETTER = "__newsletter__"  # not a channel: the subscription's row in preferences_for's one query


def audience(*, kind: str) -> Iterator[dict]:
    """The recipients of a send, as ``Delivery`` field values, streamed in batches."""
    if kind == Newsletter.Kind.ADVERTISING:
        for user in advertising_audience(channel=Channel.EMAIL).only("pk", "email", "language").iterator(2000):
            yield {
                "recipient": tokens.email_digest(user.email),
                "email": user.email,
                "language": user.language,
                "user_id": user.pk,
            }
        return
    suppressed = Suppression.objects.filter(digest=OuterRef("digest"))
    subscribers = (
        Subscriber.objects.filter(confirmed_at__isnull=False)
        .filter(~Exists(suppressed))
        .values("digest", "email", "language", "user_id")
    )
    for row in subscribers.iterator(2000):
        yield {
            "recipient": row["digest"],
            "email": row["email"],
            "language": row["language"],
            "user_id": row["user_id"],
        }


def advertising_audience(*, channel: str) -> QuerySet[User]:
    """Active customers whose recorded choice allows ``channel`` (C27) and who can be reached on it.

    No choice recorded means "not allowed" (issue 16): sign-up records every channel.
    """
    allowed = AdvertisingPreference.objects.filter(user=OuterRef("pk"), channel=channel, allowed=True)
    users = User.objects.filter(is_active=True, is_staff=False).filter(Exists(allowed))
    if channel == Channel.EMAIL:
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True)
        users = users.exclude(email="").filter(Exists(verified))
    elif channel == Channel.PHONE:
        users = users.exclude(phone="")
    return users.order_by("pk")


def preferences_for(*, user: User) -> dict:
    """The customer's newsletter subscription and advertising choice per channel, in one query.

    The customer's advertising rows, plus one row ``(NEWSLETTER, True)`` when a subscription exists for
    their account or their address.
    """
    subscribed = Subscriber.objects.filter(Q(user=OuterRef("pk")) | Q(digest=tokens.email_digest(user.email or "")))
    marker = (
        User.objects.filter(pk=user.pk)
        .filter(Exists(subscribed))
        .values_list(Value(_NEWSLETTER, output_field=CharField()), Value(True, output_field=BooleanField()))
    )
    rows = AdvertisingPreference.objects.filter(user=user).values_list("channel", "allowed").union(marker, all=True)
    choices = dict(rows)
    return {
        "newsletter": choices.pop(_NEWSLETTER, False),
        "advertising": {channel: choices.get(channel, False) for channel in Channel.values},
    }


def advertising_history(*, user: User, limit: int = 100) -> list[AdvertisingPreferenceChange]:
    """Each channel's changes for the customer, newest first, with how and from which source (C27)."""
    return list(AdvertisingPreferenceChange.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def advertising_history_per_channel(*, user: User, current: dict[str, bool], limit: int = 100) -> list[dict]:
    """The history grouped per channel (in the order of ``Channel``), each with its current state (one query).

    ``current`` is ``preferences_for(...)["advertising"]``; a channel without changes is listed too.
    """
    changes: dict[str, list[AdvertisingPreferenceChange]] = {channel: [] for channel in Channel.values}
    for change in advertising_history(user=user, limit=limit):
        changes.setdefault(change.channel, []).append(change)
    return [
        {
            "channel": channel,
            "label": Channel(channel).label if channel in Channel.values else channel,
            "allowed": current.get(channel, False),
            "changes": rows,
        }
        for channel, rows in changes.items()
    ]


def newsletters_with_progress() -> QuerySet[Newsletter]:
    done = ("sent", "skipped", "failed", "claimed")
    return Newsletter.objects.annotate(
        handled=Count("deliveries", filter=Q(deliveries__status__in=done)),
        delivered=Count("deliveries", filter=Q(deliveries__status="sent")),
    )
