"""How the credits app reacts to other apps' events."""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from credits.services import credits_give_back, credits_grant, credits_take_back, refund_take_back_plan


def order_paid(sender, *, order, **kwargs) -> None:
    """A paid credit pack grants its credits, once per order (the grant is idempotent per order)."""
    from orders.models import Order

    if order.kind != Order.Kind.CREDITS or order.user is None:
        return
    lines = list(order.lines.select_related("product"))
    amount = sum(line.product.credits * line.quantity for line in lines if line.product)
    if amount:
        credits_grant(user=order.user, amount=amount, reason=", ".join(line.description for line in lines), order=order)


def _credit_order(payment):
    """The credit pack order ``payment`` paid for, or ``None``."""
    from orders.models import Order
    from orders.selectors import order_paid_by

    return order_paid_by(payment, kind=Order.Kind.CREDITS)


def _refunded_total(payment) -> Decimal:
    from payments.models import Refund

    refunds = Refund.objects.filter(
        payment__kind="order", payment__object_id=payment.object_id, payment__duplicate=False
    )
    return sum((r.amount for r in refunds.exclude(status__in=Refund.VOID_STATUSES)), Decimal("0"))


def refund_status_changed(sender, *, refund, previous_status, **kwargs) -> None:
    """A refunded credit pack takes back the unspent credits the refund pays for; a failed refund gives them back."""
    from payments.models import Refund

    order = _credit_order(refund.payment)
    if order is None:
        return
    with translation.override(order.user.language):
        if previous_status == "" and refund.status not in Refund.VOID_STATUSES:
            credits_take_back(
                user=order.user,
                order=order,
                refunded_total=_refunded_total(refund.payment),
                idempotency_key=str(refund.uuid),
                reason=_("Refund of order %(number)s") % {"number": order.pk},
            )
        elif refund.status in Refund.VOID_STATUSES and previous_status not in Refund.VOID_STATUSES:
            credits_give_back(
                user=order.user,
                idempotency_key=str(refund.uuid),
                reason=_("Refund of order %(number)s did not go through") % {"number": order.pk},
            )


def refund_effect(payment, amount) -> list:
    """For finance's refund confirmation: the credits this refund takes back, and whether some are spent."""
    from payments.handlers import RefundEffect

    order = _credit_order(payment)
    if order is None:
        return []
    plan = refund_take_back_plan(order=order, refunded_total=_refunded_total(payment) + Decimal(amount))
    if not plan.wanted:
        return []
    lines = [
        RefundEffect(
            _("%(possible)d of the %(granted)d credits of this pack will be taken back from the customer.")
            % {"possible": plan.possible, "granted": plan.granted}
        )
    ]
    if plan.short:
        lines.append(
            RefundEffect(
                _(
                    "The customer has only %(balance)d credits left: this refund pays for %(wanted)d, so "
                    "%(spent)d spent credits cannot be taken back (the balance never goes below zero)."
                )
                % {"balance": plan.balance, "wanted": plan.wanted, "spent": plan.wanted - plan.possible},
                warning=True,
            )
        )
    return lines
