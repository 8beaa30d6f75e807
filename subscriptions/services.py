"""Writes of the subscriptions app: take out, activate, renew, mark past due, cancel (C14, C15).

The first payment (``sequenceType=first``) creates the Mollie customer's mandate; once it is paid the
subscription is active and a Mollie subscription is created after commit (``tasks``), keyed by the
subscription's uuid so a retry never creates a second one.  Mollie's recurring payments arrive by
webhook and are handled under the payment's row lock in ``on_recurring_payment``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from payments import gateway
from payments.models import Payment
from payments.services import (
    payment_build,
    payment_open_at_mollie,
    payment_owner_completed,
    payment_record,
    webhook_url,
)
from portal.activity import activity_record
from portal.targets import domain_problem
from portal.tasks import email_send
from subscriptions import selectors, signals
from subscriptions.activity import Action as SubscriptionAction
from subscriptions.models import Plan, Subscription

FIRST = "subscription_first"
RECURRING = "subscription_recurring"
KINDS = (FIRST, RECURRING)


class SubscriptionRefused(Exception):
    """The customer cannot do this now; the message says why (translated)."""


def _snapshot(user: User) -> dict[str, str]:
    address = user.billing_address()
    return {
        "billing_name": address["name"] or user.username,
        "billing_email": user.email,
        "billing_street": address["street"],
        "billing_postal_code": address["postal_code"],
        "billing_town": address["town"],
        "billing_country": address["country"],
    }


def _email_on_commit(subscription: Subscription, template: str) -> None:
    """Render in the customer's language now, send once the transaction commits."""
    user = subscription.user
    address = subscription.billing_email or (user.email if user else "")
    if user is None or not address:
        return
    with translation.override(user.language):
        context = {
            "subscription": subscription,
            "plan": subscription.plan,
            "user": user,
            "end": selectors.subscription_end(subscription),
        }
        subject = render_to_string(f"subscriptions/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"subscriptions/email/{template}_body.txt", context)
    email_send.delay_on_commit(subject=subject, body=body, to=[address])


def domain_normalise(value: str) -> str:
    """A domain name as the customer typed it, in its ASCII form (``café.nl`` → ``xn--caf-dma.nl``)."""
    from django.utils.translation import gettext as _

    text = (value or "").strip().lower().rstrip(".")
    try:
        DomainNameValidator(accept_idna=True)(text)
        ascii_name = text.encode("idna").decode("ascii")
    except (ValidationError, UnicodeError):
        raise ValidationError({"domain": _("“%(value)s” is not a valid domain name.") % {"value": value}}) from None
    if "." not in ascii_name:
        raise ValidationError({"domain": _("“%(value)s” is not a valid domain name.") % {"value": value}})
    return ascii_name


def subscription_target_resolve(*, user: User, target_ref: str = "", domain: str = "") -> tuple[str, str]:
    """What a plan is taken out for: ``(ref, domain)`` of one of the customer's open targets, or ``("", domain)``.

    A target must be the customer's and carry no plan yet (``selectors.targets_open``); a new domain
    must be well-formed and free (``portal.targets.domain_problem``, which may ask the control panel:
    call this outside a transaction).  Raises ``ValidationError`` keyed by the form's fields.
    """
    from django.utils.translation import gettext as _

    if target_ref:
        target = next((t for t in selectors.targets_open(user=user) if t.ref == target_ref), None)
        if target is None:
            raise ValidationError({"target": _("Choose one of your packages in the list, or a new domain.")})
        return target.ref, target.domain
    if not (domain or "").strip():
        raise ValidationError({"domain": _("Enter the domain name for your new hosting package.")})
    name = domain_normalise(domain)
    problem = domain_problem(name)
    if problem:
        raise ValidationError({"domain": problem})
    return "", name


def subscription_start(
    *,
    user: User,
    plan: Plan,
    target_ref: str = "",
    domain: str = "",
    request: HttpRequest | None = None,
) -> tuple[Subscription, Payment]:
    """Take out ``plan`` for a package of the customer (``target_ref``) or a new ``domain``.

    The target is checked first (``ValidationError`` by field), then Mollie is asked, outside any
    transaction (no lock waits on the network); only when it has answered are the pending
    subscription, its payment and the activity row written, in one transaction.  Raises
    ``SubscriptionRefused`` when the customer already has this plan and ``GatewayError`` when Mollie
    cannot be reached: then nothing is recorded at all.
    """
    from django.utils.translation import gettext as _

    _check_can_start(user=user, plan=plan)
    target_ref, domain = subscription_target_resolve(user=user, target_ref=target_ref, domain=domain)
    subscription = Subscription(
        user=user, plan=plan, price=plan.price, target_ref=target_ref, domain=domain, **_snapshot(user)
    )
    customer_id = (
        Subscription.objects.filter(user=user)
        .exclude(mollie_customer_id="")
        .values_list("mollie_customer_id", flat=True)
        .first()
    )
    if not customer_id:
        customer_id = gateway.customer_create(
            name=subscription.billing_name,
            email=subscription.billing_email,
            idempotency_key=f"customer-{subscription.uuid}",
            locale="en_US" if user.language == "en" else "nl_NL",
        ).id
    subscription.mollie_customer_id = customer_id
    payment = payment_build(
        user=user,
        kind=FIRST,
        object_id=None,
        amount=plan.price,
        description=f"Netrex {plan.title_nl} ({plan.get_interval_display()})",
        sequence_type=Payment.SequenceType.FIRST,
        mollie_customer_id=customer_id,
    )
    payment_open_at_mollie(payment=payment, request=request)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one start at a time per customer
        try:
            _check_can_start(user=user, plan=plan)
        except SubscriptionRefused:
            raise SubscriptionRefused(_("You already have this subscription."))
        subscription.save()
        payment.object_id = subscription.pk
        payment_record(payment=payment, request=request)
        activity_record(
            user=user,
            action=SubscriptionAction.REQUESTED,
            request=request,
            detail={
                "subscription": subscription.pk,
                "plan": plan.code,
                "summary": f"{plan} ({domain})" if domain else str(plan),
            },
        )
    return subscription, payment


def _check_can_start(*, user: User, plan: Plan) -> None:
    from django.utils.translation import gettext as _

    if not plan.active:
        raise SubscriptionRefused(_("This plan is no longer available."))
    running = Subscription.objects.filter(
        user=user, plan=plan, status__in=(Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)
    )
    if running.exists():
        raise SubscriptionRefused(_("You already have this subscription."))


def _locked():
    """Subscriptions locked for update (only their own row, never the nullable user's)."""
    return Subscription.objects.select_for_update(of=("self",)).select_related("plan", "user")


def _extend(paid_until: datetime.date | None, plan: Plan) -> datetime.date:
    today = timezone.localdate()
    base = paid_until if paid_until and paid_until > today else today
    return base + plan.period


def on_first_payment(*, payment: Payment, previous_status: str) -> None:
    """Payment handler (kind ``subscription_first``), run under the payment's row lock."""
    from subscriptions.tasks import subscription_schedule

    subscription = _locked().get(pk=payment.object_id)
    if subscription.status != Subscription.Status.PENDING:
        return
    now = timezone.now()
    if payment.status == Payment.Status.PAID:
        subscription.status = Subscription.Status.ACTIVE
        subscription.started_at = now
        subscription.paid_until = _extend(None, subscription.plan)
        subscription.mandate_id = payment.mandate_id
        subscription.mollie_customer_id = payment.mollie_customer_id or subscription.mollie_customer_id
        subscription.save(update_fields=["status", "started_at", "paid_until", "mandate_id", "mollie_customer_id"])
        if subscription.user is not None:
            activity_record(
                user=subscription.user,
                action=SubscriptionAction.ACTIVATED,
                detail={"subscription": subscription.pk, "payment": payment.mollie_id},
            )
        signals.subscription_activated.send(sender=Subscription, subscription=subscription)
        _email_on_commit(subscription, "started")
        subscription_schedule.delay_on_commit(subscription.pk)
    elif payment.status in (Payment.Status.FAILED, Payment.Status.CANCELED, Payment.Status.EXPIRED):
        subscription.status = Subscription.Status.ENDED
        subscription.cancelled_at = now
        subscription.save(update_fields=["status", "cancelled_at"])
        payment_owner_completed(kind=FIRST, object_id=subscription.pk, completed_at=now)
        if subscription.user is not None:
            activity_record(
                user=subscription.user,
                action=SubscriptionAction.FIRST_PAYMENT_FAILED,
                detail={"subscription": subscription.pk, "payment": payment.mollie_id},
            )


def on_recurring_payment(*, payment: Payment, previous_status: str) -> None:
    """Payment handler (kind ``subscription_recurring``): a payment Mollie made for the subscription."""
    subscription = _locked().get(pk=payment.object_id)
    if payment.status == Payment.Status.PAID:
        subscription.paid_until = _extend(subscription.paid_until, subscription.plan)
        fields = ["paid_until"]
        recovered = subscription.status == Subscription.Status.PAST_DUE
        if recovered:
            subscription.status = Subscription.Status.ACTIVE
            fields.append("status")
        subscription.save(update_fields=fields)
        if recovered:
            # Paid again after being past due: listeners (the customer's service) become active again.
            signals.subscription_activated.send(sender=Subscription, subscription=subscription)
        if subscription.user is not None:
            activity_record(
                user=subscription.user,
                action=SubscriptionAction.RENEWED,
                detail={
                    "subscription": subscription.pk,
                    "payment": payment.mollie_id,
                    "paid_until": subscription.paid_until.isoformat(),
                },
            )
    elif payment.status in (Payment.Status.FAILED, Payment.Status.CANCELED, Payment.Status.EXPIRED):
        if subscription.status != Subscription.Status.ACTIVE:
            return
        subscription.status = Subscription.Status.PAST_DUE
        subscription.save(update_fields=["status"])
        if subscription.user is not None:
            activity_record(
                user=subscription.user,
                action=SubscriptionAction.PAYMENT_FAILED,
                detail={"subscription": subscription.pk, "payment": payment.mollie_id},
            )
        signals.subscription_past_due.send(sender=Subscription, subscription=subscription)
        _email_on_commit(subscription, "payment_failed")
    if subscription.cancelled_at and payment.completed_at is None:
        Payment.objects.filter(pk=payment.pk).update(completed_at=subscription.cancelled_at)


def adopt_recurring(remote: gateway.RemotePayment) -> tuple[int, User | None] | None:
    """Claim a recurring payment Mollie created for one of our subscriptions."""
    subscription = (
        Subscription.objects.select_related("user").filter(mollie_subscription_id=remote.subscription_id).first()
    )
    if subscription is None:
        return None
    return subscription.pk, subscription.user


def return_url(payment: Payment) -> str:
    return reverse("subscriptions:detail", kwargs={"pk": payment.object_id})


def subscription_schedule_at_mollie(*, subscription_id: int) -> Subscription | None:
    """Create the Mollie subscription of an active subscription (idempotent; queued on activation).

    Mollie is called outside any transaction, keyed by the subscription's uuid, so a retried task
    gets the same Mollie subscription back.  Cancelled in the meantime: it is cancelled at Mollie too.
    """
    subscription = Subscription.objects.select_related("plan").filter(pk=subscription_id).first()
    if subscription is None or subscription.mollie_subscription_id:
        return subscription
    if subscription.status not in (Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE):
        return subscription
    remote = gateway.subscription_create(
        customer_id=subscription.mollie_customer_id,
        amount=subscription.price,
        interval=subscription.plan.mollie_interval,
        description=f"Netrex {subscription.plan.title_nl} #{subscription.pk}",
        webhook_url=webhook_url(),
        idempotency_key=f"subscription-{subscription.uuid}",
        start_date=subscription.paid_until,
        mandate_id=subscription.mandate_id,
        metadata={"subscription": str(subscription.uuid)},
    )
    with transaction.atomic():
        subscription = _locked().get(pk=subscription_id)
        if not subscription.mollie_subscription_id:
            subscription.mollie_subscription_id = remote.id
            subscription.save(update_fields=["mollie_subscription_id"])
        still_running = subscription.status in (Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)
    if not still_running:
        gateway.subscription_cancel(customer_id=subscription.mollie_customer_id, subscription_id=remote.id)
    return subscription


def subscription_cancel(
    *, subscription: Subscription, user: User, request: HttpRequest | None = None, notify: bool = True
) -> Subscription:
    """The customer cancels: at Mollie first (``GatewayError`` leaves everything as it was), then here.

    The Mollie call happens outside any transaction; cancelling twice at Mollie is harmless.
    ``notify=False`` when the account closes: the "you keep what you paid for until …" mail would be
    untrue (closure ends the services at once) and closure sends its own confirmation.
    """
    from django.utils.translation import gettext as _

    def check(row: Subscription) -> None:
        if row.user_id != user.pk:
            raise SubscriptionRefused(_("This subscription is not yours."))
        if not row.can_cancel:
            raise SubscriptionRefused(_("This subscription cannot be cancelled any more."))

    current = Subscription.objects.get(pk=subscription.pk)
    check(current)
    if current.mollie_subscription_id:
        gateway.subscription_cancel(
            customer_id=current.mollie_customer_id,
            subscription_id=current.mollie_subscription_id,
            idempotency_key=f"cancel-{current.uuid}",
        )
    with transaction.atomic():
        subscription = _locked().get(pk=subscription.pk)
        check(subscription)
        now = timezone.now()
        subscription.status = Subscription.Status.CANCELLED
        subscription.cancelled_at = now
        subscription.save(update_fields=["status", "cancelled_at"])
        for kind in KINDS:
            payment_owner_completed(kind=kind, object_id=subscription.pk, completed_at=now)
        activity_record(
            user=user,
            action=SubscriptionAction.CANCELLED,
            request=request,
            detail={"subscription": subscription.pk, "summary": str(subscription.plan)},
        )
        signals.subscription_cancelled.send(
            sender=Subscription, subscription=subscription, ends_on=selectors.subscription_ends_on(subscription)
        )
        if notify:
            _email_on_commit(subscription, "cancelled")
    if subscription.mollie_subscription_id and not current.mollie_subscription_id:
        # the Mollie subscription was created while we were cancelling: cancel it too
        gateway.subscription_cancel(
            customer_id=subscription.mollie_customer_id, subscription_id=subscription.mollie_subscription_id
        )
    return subscription


@transaction.atomic
def subscriptions_pending_end(*, user: User) -> int:
    """End the subscriptions whose first payment never came (nothing runs at Mollie): their clock starts now."""
    now = timezone.now()
    ended = 0
    for subscription in _locked().filter(user=user, status=Subscription.Status.PENDING):
        subscription.status = Subscription.Status.CANCELLED
        subscription.cancelled_at = now
        subscription.save(update_fields=["status", "cancelled_at"])
        for kind in KINDS:
            payment_owner_completed(kind=kind, object_id=subscription.pk, completed_at=now)
        ended += 1
    return ended
