"""Writes of the newsletter app: subscribing, unsubscribing, sending, and advertising choices.

Every function that changes what a customer receives runs in one transaction and writes the
activity-log row (C07) in it.  Sending is the exception by design: each delivery is claimed in its
own tiny committed update *before* its message is handed to the mail server, so whatever happens
afterwards (a crash, a redelivered task, two workers at once) nobody ever gets a second copy.
"""

import logging
import secrets
import smtplib
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from consent.sync import consent_record
from newsletter import mail, tokens
from newsletter.activity import Action
from newsletter.models import (
    METHOD_PHRASES,
    ROLE_LABELS,
    STAFF_METHODS,
    AdvertisingPreference,
    AdvertisingPreferenceChange,
    Channel,
    ChoiceMethod,
    Delivery,
    Newsletter,
    Origin,
    PendingSubscription,
    Subscriber,
    Suppression,
)
from portal import dashboard
from portal.activity import activity_record
from portal.client import client_ip

logger = logging.getLogger(__name__)


class NewsletterError(ValueError):
    """A newsletter cannot be sent in its current state."""


def _verified(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _masked_ip(request: HttpRequest | None) -> str | None:
    from privacy.anonymise import ip_mask

    ip = client_ip(request)
    return ip_mask(ip) if ip else None


# --- subscribing -------------------------------------------------------------------------------


@transaction.atomic
def signup_choices_record(
    *,
    user: User,
    profiling: bool,
    newsletter: bool,
    advertising_email_phone: bool,
    advertising_social: bool,
    text_version: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Record every choice of the sign-up form as proof, also each "no" (issue 16).

    Profiling (P3) and social-media advertising only with the box ticked (consent); the newsletter (P7)
    and email and phone advertising unless the box was ticked (the customer exception, Tw art. 11.7).
    """
    consent_record(
        user=user,
        purpose_id="P3",
        given=profiling,
        method="signup",
        request=request,
        text_version=text_version,
        always=True,
    )
    subscriber_signup(user=user, opted_out=not newsletter, request=request, text_version=text_version)
    for channel, allowed in (
        (Channel.EMAIL, advertising_email_phone),
        (Channel.PHONE, advertising_email_phone),
        (Channel.SOCIAL, advertising_social),
    ):
        advertising_choice_set(
            user=user,
            channel=channel,
            allowed=allowed,
            method=ChoiceMethod.SIGNUP,
            source=text_version,
            request=request,
            record_purpose=False,
        )
    consent_record(
        user=user,
        purpose_id="P10",
        given=advertising_email_phone or advertising_social,
        method="signup",
        request=request,
        text_version=text_version,
        always=True,
    )


@transaction.atomic
def subscriber_signup(
    *, user: User, opted_out: bool, request: HttpRequest | None = None, text_version: str = ""
) -> Subscriber | None:
    """Put a new customer's address on the list (C20), unless they opted out or unsubscribed before.

    The customer exception (Tw art. 11.7): the sign-up form offers a clear opt-out; the choice is
    recorded either way.  The subscription counts once the address is confirmed (allauth's email
    confirmation; an address never confirmed goes after 7 days, rule ``newsletter_unconfirmed``); an
    address on the suppression list is never added again automatically, also not on re-registration.
    """
    if not user.email:
        return None
    digest = tokens.email_digest(user.email)
    if opted_out:
        Subscriber.objects.filter(digest=digest).delete()
        Suppression.objects.get_or_create(
            digest=digest, defaults={"reason": Suppression.Reason.DECLINED, "method": "signup"}
        )
        activity_record(user=user, action=Action.NEWSLETTER_DECLINED, request=request)
        consent_record(
            user=user,
            purpose_id="P7",
            given=False,
            method="signup",
            request=request,
            text_version=text_version,
            always=True,
        )
        return None
    if Suppression.objects.filter(digest=digest).exists():
        consent_record(
            user=user,
            purpose_id="P7",
            given=False,
            method="signup",
            request=request,
            text_version=text_version,
            always=True,
        )
        return None
    subscriber, created = Subscriber.objects.get_or_create(
        digest=digest,
        defaults={
            "email": user.email.lower(),
            "user": user,
            "language": user.language,
            "source": Subscriber.Source.ACCOUNT,
            "confirmed_at": timezone.now() if _verified(user, user.email) else None,
        },
    )
    if not created and subscriber.user_id is None:
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    if created:
        activity_record(user=user, action=Action.NEWSLETTER_SUBSCRIBED, request=request, detail={"source": "account"})
    consent_record(
        user=user,
        purpose_id="P7",
        given=True,
        method="signup",
        request=request,
        text_version=text_version,
        always=True,
    )
    return subscriber


@transaction.atomic
def subscriber_account_confirm(*, user: User, email: str) -> bool:
    """The customer confirmed their address with allauth: their pending subscription becomes active."""
    updated = Subscriber.objects.filter(digest=tokens.email_digest(email), user=user, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if updated:
        dashboard.touch(user.pk)  # update() sends no signal
    return bool(updated)


@transaction.atomic
def subscriber_email_change(*, user: User, old_email: str, new_email: str) -> None:
    """Follow the customer's new address; a suppressed new address is not subscribed."""
    old = Subscriber.objects.filter(digest=tokens.email_digest(old_email), user=user).first()
    if old is None:
        return
    new_digest = tokens.email_digest(new_email)
    if Suppression.objects.filter(digest=new_digest).exists() or Subscriber.objects.filter(digest=new_digest).exists():
        old.delete()
        return
    old.email, old.digest = new_email.lower(), new_digest
    old.save(update_fields=["email", "digest"])


def subscription_request(*, email: str, language: str) -> PendingSubscription:
    """Double opt-in for visitors: keep the address in a pending record and mail a link with an opaque token.

    The link names no address (it would land in access logs): the token points to the pending record,
    which goes when the link is followed or after 7 days (rule ``newsletter_unconfirmed``).
    """
    from newsletter.tasks import message_send

    pending = PendingSubscription.objects.create(
        token=secrets.token_urlsafe(32), email=email.strip().lower(), language=language
    )
    message = mail.confirmation_message(email=pending.email, language=language, token=pending.token)
    transaction.on_commit(
        lambda: message_send.delay(
            subject=message.subject, body=message.body, to=message.to, headers={}, language=language
        )
    )
    return pending


def pending_subscription(*, token: str) -> PendingSubscription | None:
    """The pending sign-up a confirmation link points to, while the link is valid."""
    if not token or len(token) > 64:
        return None
    cutoff = timezone.now() - timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
    return PendingSubscription.objects.filter(token=token, created_at__gt=cutoff).first()


@transaction.atomic
def subscription_confirm(*, token: str, request: HttpRequest | None = None) -> Subscriber | None:
    """The visitor followed the link and pressed the button: subscribe, and the pending record goes."""
    pending = (
        PendingSubscription.objects.select_for_update()
        .filter(pk=getattr(pending_subscription(token=token), "pk", None))
        .first()
    )
    if pending is None:
        return None
    subscriber = subscriber_confirm(email=pending.email, language=pending.language, request=request)
    PendingSubscription.objects.filter(email=pending.email).delete()
    return subscriber


@transaction.atomic
def subscriber_confirm(*, email: str, language: str, request: HttpRequest | None = None) -> Subscriber:
    """The visitor confirmed: their explicit new consent lifts an earlier suppression (C18)."""
    digest = tokens.email_digest(email)
    Suppression.objects.filter(digest=digest).delete()
    # Only an account that verified this address is theirs: an address merely typed into an account is not.
    user = (
        User.objects.filter(emailaddress__email__iexact=email, emailaddress__verified=True, is_active=True)
        .order_by("pk")
        .first()
    )
    subscriber, created = Subscriber.objects.update_or_create(
        digest=digest,
        defaults={
            "email": email.lower(),
            "language": language,
            "confirmed_at": timezone.now(),
            "consent_ip": _masked_ip(request),
        },
        create_defaults={
            "email": email.lower(),
            "language": language,
            "confirmed_at": timezone.now(),
            "consent_ip": _masked_ip(request),
            "source": Subscriber.Source.FORM,
            "user": user,
        },
    )
    if created and user is not None:
        activity_record(user=user, action=Action.NEWSLETTER_SUBSCRIBED, request=request, detail={"source": "form"})
    if user is not None:
        # A confirmed opt-in: this subscription rests on consent, not on the customer exception.
        consent_record(user=user, purpose_id="P7", given=True, method="link", request=request, ground="consent")
    return subscriber


@transaction.atomic
def newsletter_subscribe_user(*, user: User, method: str, request: HttpRequest | None = None) -> Subscriber:
    """The customer switched the newsletter on in the portal or the account: an explicit choice."""
    digest = tokens.email_digest(user.email)
    Suppression.objects.filter(digest=digest).delete()
    confirmed = timezone.now() if _verified(user, user.email) else None
    subscriber, created = Subscriber.objects.update_or_create(
        digest=digest,
        defaults={"user": user, "email": user.email.lower(), "language": user.language},
        create_defaults={
            "user": user,
            "email": user.email.lower(),
            "language": user.language,
            "source": Subscriber.Source.PORTAL,
            "confirmed_at": confirmed,
        },
    )
    if subscriber.confirmed_at is None and confirmed:
        subscriber.confirmed_at = confirmed
        subscriber.save(update_fields=["confirmed_at"])
    if created:
        activity_record(user=user, action=Action.NEWSLETTER_SUBSCRIBED, request=request, detail={"source": method})
    consent_record(user=user, purpose_id="P7", given=True, method=method, request=request)
    return subscriber


# --- unsubscribing -----------------------------------------------------------------------------


def _unsubscribe(digests: set[str], *, method: str) -> set[int]:
    """Delete the subscriptions, keep only the hashes, skip the waiting deliveries; the affected accounts."""
    user_ids = set(Subscriber.objects.filter(digest__in=digests, user__isnull=False).values_list("user_id", flat=True))
    Subscriber.objects.filter(digest__in=digests).delete()
    for digest in digests:
        # The first entry stays: it records how the person first said no.
        Suppression.objects.get_or_create(
            digest=digest, defaults={"reason": Suppression.Reason.UNSUBSCRIBED, "method": method}
        )
    Delivery.objects.filter(
        recipient__in=digests, status=Delivery.Status.PENDING, newsletter__kind=Newsletter.Kind.NEWSLETTER
    ).update(status=Delivery.Status.SKIPPED, email="", finished_at=timezone.now())
    return user_ids


@transaction.atomic
def subscriber_unsubscribe(*, digest: str, method: str, request: HttpRequest | None = None) -> bool:
    """One-click unsubscribe from a newsletter link (C19): no login, works for ever, idempotent."""
    was_subscribed = Subscriber.objects.filter(digest=digest).exists()
    for user in User.objects.filter(pk__in=_unsubscribe({digest}, method=method)):
        activity_record(user=user, action=Action.NEWSLETTER_UNSUBSCRIBED, request=request, detail={"method": method})
        consent_record(user=user, purpose_id="P7", given=False, method=method, request=request)
    return was_subscribed


@transaction.atomic
def newsletter_unsubscribe_user(*, user: User, method: str, request: HttpRequest | None = None) -> bool:
    """Unsubscribe through the account or the portal (C19): every address of the customer."""
    digests = {tokens.email_digest(user.email)} if user.email else set()
    digests |= set(Subscriber.objects.filter(user=user).values_list("digest", flat=True))
    was_subscribed = Subscriber.objects.filter(digest__in=digests).exists()
    _unsubscribe(digests, method=method)
    if was_subscribed:
        activity_record(user=user, action=Action.NEWSLETTER_UNSUBSCRIBED, request=request, detail={"method": method})
    consent_record(user=user, purpose_id="P7", given=False, method=method, request=request)
    return was_subscribed


# --- advertising (C26, C27) --------------------------------------------------------------------


@transaction.atomic
def advertising_choice_set(
    *,
    user: User,
    channel: str,
    allowed: bool,
    method: str,
    source: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
    record_purpose: bool = True,
) -> bool:
    """Record the customer's choice for one channel with its history; ``False`` when nothing changed.

    No row means "not allowed" (issue 16): sign-up records each channel, so a customer's state always rests
    on a choice.  The change is also recorded as consent proof for the channel (P10, scoped to the
    channel, with the channel's ground: email and phone the customer exception, social media consent) and,
    with ``record_purpose``, P10 as a whole (given while at least one channel is open to us).
    """
    channel = Channel(channel)
    method = ChoiceMethod(method)
    current = AdvertisingPreference.objects.select_for_update().filter(user=user, channel=channel).first()
    if current is not None and current.allowed == allowed:
        return False
    AdvertisingPreference.objects.update_or_create(
        user=user, channel=channel, defaults={"allowed": allowed, "changed_at": timezone.now()}
    )
    origin, staff_role = _origin(actor=actor, method=method, request=request)
    AdvertisingPreferenceChange.objects.create(
        user=user,
        channel=channel,
        allowed=allowed,
        method=method,
        origin=origin,
        staff_role=staff_role,
        source=source[:200],
        recorded_by=actor,
    )
    if not allowed and channel == Channel.EMAIL:
        Delivery.objects.filter(
            user=user, status=Delivery.Status.PENDING, newsletter__kind=Newsletter.Kind.ADVERTISING
        ).update(status=Delivery.Status.SKIPPED, email="", finished_at=timezone.now())
    activity_record(
        user=user,
        action=Action.ADVERTISING_ALLOWED if allowed else Action.ADVERTISING_OBJECTED,
        request=request,
        actor=actor,
        detail={
            "channel": str(channel),
            "method": str(method),
            "origin": str(origin),
            "summary": _channel_summary(channel, method),
        },
    )
    # The consent app's proof of the channel (its method named as this app names it; "consent": the switch
    # on the privacy page, which records the purpose as a whole itself).
    consent_record(
        user=user,
        purpose_id="P10",
        given=allowed,
        method="privacy_page" if method == ChoiceMethod.CONSENT else str(method),
        request=request,
        actor=actor,
        scope=str(channel),
        always=True,
    )
    if record_purpose:
        open_channels = AdvertisingPreference.objects.filter(user=user, allowed=True).count()
        consent_record(
            user=user, purpose_id="P10", given=open_channels > 0, method=str(method), request=request, actor=actor
        )
    return True


def _origin(*, actor: User | None, method: ChoiceMethod, request: HttpRequest | None) -> tuple[str, str]:
    """Who made the change: a staff member (with their role), the customer, or the system (no request at all)."""
    if actor is not None:
        names = sorted(set(actor.groups.values_list("name", flat=True)) & set(ROLE_LABELS))
        role = ", ".join(names) or ("superuser" if actor.is_superuser else "")
        return Origin.STAFF, role[:64]
    if method in STAFF_METHODS:
        return Origin.STAFF, ""
    if request is None:
        return Origin.SYSTEM, ""
    return Origin.CUSTOMER, ""


def _channel_summary(channel: Channel, method: ChoiceMethod) -> str:
    """The activity log's words: how and on which channel, in Dutch and English (the log is read in both).

    "per telefoon (kanaal: e-mail) / by phone (channel: email)": the action's label says objected or allowed.
    """
    parts = []
    for language in ("nl", "en"):
        with translation.override(language):
            parts.append(
                gettext("%(how)s (channel: %(channel)s)") % {"how": METHOD_PHRASES[method], "channel": channel.label}
            )
    return " / ".join(parts)


@transaction.atomic
def advertising_object_by_link(*, token: str, request: HttpRequest | None = None) -> bool:
    """The one-click objection link of an advertising email; ``False`` for a forged link."""
    payload = tokens.advertising_payload(token)
    if payload is None or payload[1] not in Channel.values:
        return False
    user = User.objects.filter(pk=payload[0]).first()
    if user is None:
        return True  # the account is gone: there is nobody left to send advertising to
    advertising_choice_set(
        user=user, channel=payload[1], allowed=False, method=ChoiceMethod.EMAIL_LINK, request=request
    )
    return True


# --- consent switches (consent.services.register_effect) --------------------------------------


def consent_newsletter_withdrawn(*, user: User, request: HttpRequest | None = None) -> None:
    newsletter_unsubscribe_user(user=user, method="consent", request=request)


def consent_newsletter_given(*, user: User, request: HttpRequest | None = None) -> None:
    newsletter_subscribe_user(user=user, method="consent", request=request)


def consent_advertising_withdrawn(*, user: User, request: HttpRequest | None = None) -> None:
    for channel in Channel.values:
        advertising_choice_set(user=user, channel=channel, allowed=False, method=ChoiceMethod.CONSENT, request=request)


def consent_advertising_given(*, user: User, request: HttpRequest | None = None) -> None:
    for channel in Channel.values:
        advertising_choice_set(user=user, channel=channel, allowed=True, method=ChoiceMethod.CONSENT, request=request)


# --- sending -----------------------------------------------------------------------------------


def newsletter_test_send(*, newsletter: Newsletter, staff: User) -> None:
    """Send both language versions to the staff member themselves, with their own real opt-out link."""
    from newsletter.tasks import newsletter_test_deliver

    transaction.on_commit(lambda: newsletter_test_deliver.delay(newsletter.pk, staff.pk))


@transaction.atomic
def newsletter_send_start(*, newsletter: Newsletter) -> int:
    """Fix the recipients (one delivery each) and queue the sending; returns the number of recipients."""
    from newsletter.selectors import audience
    from newsletter.tasks import newsletter_send

    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.status != Newsletter.Status.DRAFT:
        raise NewsletterError("already sent or sending")
    batch: list[Delivery] = []
    for recipient in audience(kind=newsletter.kind):
        batch.append(Delivery(newsletter=newsletter, **recipient))
        if len(batch) >= 1000:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    newsletter.total = Delivery.objects.filter(newsletter=newsletter).count()
    newsletter.status = Newsletter.Status.SENDING
    newsletter.started_at = timezone.now()
    newsletter.save(update_fields=["total", "status", "started_at"])
    newsletter_send.delay_on_commit(newsletter.pk)
    return newsletter.total


def newsletter_send_batch(*, newsletter_id: int) -> int:
    """Send the next batch of waiting deliveries; returns how many were handled (0: nothing left).

    Each delivery is claimed by a conditional update that commits before the message leaves, so
    a delivery is attempted at most once.  A crash between claim and send leaves it "claimed, not
    confirmed", visible in the admin, never resent.
    """
    newsletter = Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).first()
    if newsletter is None:
        return 0
    rows = list(
        Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values("pk", "recipient", "email", "language", "user_id")[: settings.NEWSLETTER_BATCH_SIZE]
    )
    if not rows:
        Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, finished_at=timezone.now()
        )
        return 0
    blocked = _blocked(newsletter, rows)
    with get_connection() as connection:
        for row in rows:
            skip = row["pk"] in blocked
            now = timezone.now()
            claimed = Delivery.objects.filter(pk=row["pk"], status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SKIPPED if skip else Delivery.Status.CLAIMED,
                email="",
                claimed_at=now,
                finished_at=now if skip else None,
            )
            if not claimed or skip:
                continue
            opt_out = mail.opt_out_url(
                newsletter=newsletter, language=row["language"], recipient=row["recipient"], user_id=row["user_id"]
            )
            message = mail.newsletter_message(
                newsletter=newsletter, email=row["email"], language=row["language"], opt_out=opt_out
            )
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, OSError):
                logger.exception("newsletter %s: delivery %s failed", newsletter.pk, row["pk"])
                delivery_mark(delivery_id=row["pk"], status=Delivery.Status.FAILED)
                continue
            delivery_mark(delivery_id=row["pk"], status=Delivery.Status.SENT)
    return len(rows)


def delivery_mark(*, delivery_id: int, status: str) -> None:
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.CLAIMED).update(
        status=status, finished_at=timezone.now()
    )


def _blocked(newsletter: Newsletter, rows: list[dict]) -> set[int]:
    """Deliveries that must not go out any more: unsubscribed or suppressed, or objected to email advertising."""
    if newsletter.kind == Newsletter.Kind.ADVERTISING:
        user_ids = [row["user_id"] for row in rows]
        objected = set(
            AdvertisingPreference.objects.filter(
                user_id__in=user_ids, channel=Channel.EMAIL, allowed=False
            ).values_list("user_id", flat=True)
        )
        active = set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
        return {row["pk"] for row in rows if row["user_id"] in objected or row["user_id"] not in active}
    digests = [row["recipient"] for row in rows]
    suppressed = set(Suppression.objects.filter(digest__in=digests).values_list("digest", flat=True))
    subscribed = set(
        Subscriber.objects.filter(digest__in=digests, confirmed_at__isnull=False).values_list("digest", flat=True)
    )
    return {row["pk"] for row in rows if row["recipient"] in suppressed or row["recipient"] not in subscribed}


def newsletter_resume(*, newsletter: Newsletter) -> bool:
    """Queue the sending again (after a crash); safe at any time, as every delivery is claimed once."""
    from newsletter.tasks import newsletter_send

    if newsletter.status != Newsletter.Status.SENDING:
        return False
    newsletter_send.delay_on_commit(newsletter.pk)
    return True
