"""Personal data of the orders app.

An order belongs to the purpose of its kind: P1 (order handling), P4 (in-app purchases) or P8
(credits).  Each is kept until the order is completed and seven years after (``completed_at``); an
order that was never paid goes after the ``order_abandoned`` period (``ended_at``).  Account closure
keeps the fiscal snapshot and only cuts the link to the account.

A cart (P1: it becomes an order) goes after the ``cart_abandoned`` period since it was last changed,
and at once when the account is closed.  A visitor's cart belongs to nobody known: no person finds it,
the clock erases it.
"""

from django.db.models import Q

from orders.models import Cart, CartLine, Order, OrderLine, Shipment
from portal.money import money
from privacy.declarations import Declaration, Erase, register

SNAPSHOT_FIELDS = (
    "kind",
    "status",
    "total",
    "vat_total",
    "credits_total",
    "invoice_name",
    "invoice_street",
    "invoice_postal_code",
    "invoice_town",
    "invoice_country",
    "invoice_email",
    "invoice_phone",
    "invoice_gender",
    "ip_address",
    "invoice_number",
    "invoice_date",
    "created_at",
    "paid_at",
    "completed_at",
)


# In the snapshot but not on an invoice (Wet OB art. 35a; AWR art. 52): blanked when the account closes.
NOT_FISCAL = ("invoice_gender", "ip_address", "invoice_phone", "invoice_email")


def _of_kind(kind: str):
    def narrow(queryset):
        return queryset.filter(kind=kind)

    narrow.__name__ = f"of_kind_{kind}"
    return narrow


def _of_held_orders(held):
    """A line or delivery belongs to its order: a hold on the order holds it too."""
    return Q(order__in=held)


def _abandoned(queryset):
    return queryset.filter(status__in=Order.ENDED_STATES)


def _lines_of_abandoned(queryset):
    return queryset.filter(order__status__in=Order.ENDED_STATES)


def _of_held_carts(held):
    return Q(cart__in=held)


def _cart_lines(queryset):
    """A cart exported as what is in it: product, quantity, the domain or package it is for, price seen."""
    lines = CartLine.objects.filter(cart__in=queryset).select_related("product").order_by("cart_id", "pk")
    by_cart: dict[int, list[dict]] = {}
    for line in lines.iterator(chunk_size=1000):
        by_cart.setdefault(line.cart_id, []).append(
            {
                "product": line.product.title,
                "quantity": line.quantity,
                "domain": line.domain,
                "for": line.target_label,
                "unit_price": str(line.unit_price),
                "added_at": line.added_at.isoformat(),
            }
        )
    for cart in queryset.only("pk", "changed_at").order_by("pk"):
        yield {"pk": cart.pk, "changed_at": cart.changed_at.isoformat(), "lines": by_cart.get(cart.pk, [])}


def _describe_order(row: Order) -> str:
    return f"#{row.pk} {row.created_at:%Y-%m-%d} {money(row.total)} ({row.get_status_display()})"


def _order(kind: str, purpose: str, rule: str, label: str) -> Declaration:
    return Declaration(
        model=Order,
        purpose=purpose,
        fields=SNAPSHOT_FIELDS,
        rule=rule,
        clock="completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.DETACH,
        detach_field="user",
        extra_filter=_of_kind(kind),
        describe=_describe_order,
        label=label,
        closure_blank=NOT_FISCAL,
    )


register(
    Declaration(
        model=Cart,
        purpose="P1",
        fields=("changed_at",),
        rule="cart_abandoned",
        clock="changed_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        export=_cart_lines,
        label="Cart",
    ),
    Declaration(
        model=CartLine,
        purpose="P1",
        owner="cart__user",
        fields=("quantity", "domain", "target_label", "unit_price"),
        rule="cart_abandoned",
        clock="cart__changed_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        listed=False,
        belongs_to=(("orders.Cart", _of_held_carts),),
    ),
    _order(Order.Kind.REGULAR, "P1", "order_completed", "Orders"),
    _order(Order.Kind.IN_APP, "P4", "inapp_completed", "In-app purchases"),
    _order(Order.Kind.CREDITS, "P8", "credits_completed", "Credit purchases"),
    Declaration(
        model=Order,
        purpose="P1",
        fields=SNAPSHOT_FIELDS,
        rule="order_abandoned",
        clock="ended_at",
        erase=Erase.DELETE,
        on_closure=Erase.DETACH,
        detach_field="user",
        extra_filter=_abandoned,
        listed=False,
        closure_blank=NOT_FISCAL,
    ),
    Declaration(
        model=OrderLine,
        purpose="P1",
        owner="order__user",
        fields=("description", "quantity", "unit_price", "domain"),
        rule="order_completed",
        clock="order__completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.KEEP,
        closure_blank=("domain",),
        label="Order lines",
        belongs_to=(("orders.Order", _of_held_orders),),
    ),
    # Once the order is handled, the snapshot keeps only what the invoice shows (Wet OB art. 35a, AWR art. 52).
    Declaration(
        model=Order,
        purpose="P1",
        fields=NOT_FISCAL,
        rule="order_handled",
        clock="completed_at",
        erase=Erase.ANONYMISE,
        on_closure=Erase.DETACH,
        detach_field="user",
        listed=False,
        closure_blank=NOT_FISCAL,
    ),
    # A delivery's proof is the carrier's reference: the address given to the carrier goes once it is handled.
    Declaration(
        model=Shipment,
        purpose="P1",
        owner="order__user",
        fields=("payload",),
        rule="order_handled",
        clock="order__completed_at",
        erase=Erase.ANONYMISE,
        on_closure=Erase.KEEP,
        closure_blank=("payload",),
        listed=False,
        belongs_to=(("orders.Order", _of_held_orders),),
    ),
    # The lines of an order that was never paid go with it, on the abandoned order's clock.
    Declaration(
        model=OrderLine,
        purpose="P1",
        owner="order__user",
        fields=("description", "quantity", "unit_price", "domain"),
        rule="order_abandoned",
        clock="order__ended_at",
        erase=Erase.DELETE,
        on_closure=Erase.KEEP,
        closure_blank=("domain",),
        extra_filter=_lines_of_abandoned,
        listed=False,
        belongs_to=(("orders.Order", _of_held_orders),),
    ),
    Declaration(
        model=Shipment,
        purpose="P1",
        owner="order__user",
        fields=("recipient", "payload", "carrier_reference", "handed_over_at"),
        rule="order_completed",
        clock="order__completed_at",
        erase=Erase.DELETE,
        on_closure=Erase.KEEP,
        closure_blank=("payload",),  # the proof of delivery is the carrier's reference, not the address
        label="Deliveries",
        belongs_to=(("orders.Order", _of_held_orders),),
    ),
)
