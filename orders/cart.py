"""The cart: kept per customer in the database, and per visitor until they log in.

A visitor's cart is found by a random key in their session (``SESSION_KEY``); Django keeps the
session's data when the key of the session itself is renewed at log-in, so the receiver of
``user_logged_in`` (``orders.receivers``) finds it and merges it into the customer's own cart.
Every line remembers the price the customer saw: checkout compares it with the price of now, and
a changed price or a product no longer sold is shown and must be accepted before anything is
ordered (``cart_review``, ``cart_prices_accept``), so a stale price is never charged.

Abandoned carts go after the register's ``cart_abandoned`` period (``orders/privacy.py``).
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from orders import services
from orders.activity import Action as OrdersAction
from orders.models import MAX_QUANTITY, Cart, CartLine, Order, Product
from portal import targets
from portal.activity import activity_record

SESSION_KEY = "orders_cart_key"


class CartChanged(services.OrderError):
    """Prices changed or products went out of sale since they were put in the cart: the customer must accept."""


def _customer(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def cart_of(request: HttpRequest) -> Cart | None:
    """The cart of whoever makes the request (customer or visitor), or None while they have none."""
    user = _customer(request)
    if user is not None:
        return Cart.objects.filter(user=user).first()
    key = request.session.get(SESSION_KEY)
    return Cart.objects.filter(visitor_key=key).first() if isinstance(key, str) and key else None


def _cart_for_writing(request: HttpRequest) -> Cart:
    """The requester's cart, made when it does not exist yet, locked for the rest of the transaction."""
    user = _customer(request)
    if user is not None:
        cart, _created = Cart.objects.get_or_create(user=user)
    else:
        key = request.session.get(SESSION_KEY)
        if not isinstance(key, str) or not key:
            key = uuid.uuid4().hex
            request.session[SESSION_KEY] = key
        cart, _created = Cart.objects.get_or_create(visitor_key=key)
    return Cart.objects.select_for_update().get(pk=cart.pk)


def _touch(cart: Cart) -> None:
    cart.changed_at = timezone.now()
    cart.save(update_fields=["changed_at"])


def _record(request: HttpRequest, action: str, summary: str) -> None:
    """The activity log is the customer's (C07); a visitor has none, so nothing is recorded for them."""
    user = _customer(request)
    if user is not None:
        activity_record(user=user, action=action, request=request, detail={"summary": summary})


def _summary(line: CartLine) -> str:
    text = f"{line.quantity} × {line.product.title}"
    if line.domain or line.target_label:
        text += f" ({line.domain or line.target_label})"
    return text


@transaction.atomic
def cart_add(
    *,
    request: HttpRequest,
    product: Product,
    quantity: int = 1,
    domain: str = "",
    target: targets.Target | None = None,
) -> CartLine:
    """Put ``product`` in the requester's cart; the same product without a domain or target adds up."""
    if not 1 <= quantity <= MAX_QUANTITY:
        raise services.OrderError(_("Choose a quantity from 1 to %(max)d.") % {"max": MAX_QUANTITY})
    cart = _cart_for_writing(request)
    target_ref = target.ref if target is not None else ""
    line = None
    if not domain and not target_ref:
        line = cart.lines.filter(product=product, domain="", target_ref="").first()
    if line is not None:
        line.quantity = min(line.quantity + quantity, MAX_QUANTITY)
        line.unit_price = product.price
        line.save(update_fields=["quantity", "unit_price"])
    else:
        line = CartLine.objects.create(
            cart=cart,
            product=product,
            quantity=1 if domain or target_ref else quantity,
            domain=domain,
            target_ref=target_ref,
            target_label=(target.domain or target.label) if target is not None else "",
            unit_price=product.price,
        )
    _touch(cart)
    _record(request, OrdersAction.CART_ADDED, _summary(line))
    return line


def _own_line(request: HttpRequest, line_id: int) -> CartLine | None:
    cart = cart_of(request)
    if cart is None:
        return None
    return CartLine.objects.select_related("product").select_for_update().filter(cart=cart, pk=line_id).first()


@transaction.atomic
def cart_line_quantity(*, request: HttpRequest, line_id: int, quantity: int) -> CartLine | None:
    """Change the quantity of a line of the requester's own cart; None when it is not theirs."""
    line = _own_line(request, line_id)
    if line is None:
        return None
    if line.fixed_quantity and quantity != 1:
        raise services.OrderError(_("A line for one domain or package is for exactly one."))
    if not 1 <= quantity <= MAX_QUANTITY:
        raise services.OrderError(_("Choose a quantity from 1 to %(max)d.") % {"max": MAX_QUANTITY})
    if quantity != line.quantity:
        before = line.quantity
        line.quantity = quantity
        line.save(update_fields=["quantity"])
        _touch(line.cart)
        _record(request, OrdersAction.CART_QUANTITY_CHANGED, f"{line.product.title}: {before} → {quantity}")
    return line


@transaction.atomic
def cart_line_remove(*, request: HttpRequest, line_id: int) -> bool:
    """Remove a line of the requester's own cart; False when it is not theirs."""
    line = _own_line(request, line_id)
    if line is None:
        return False
    summary = _summary(line)
    cart = line.cart
    line.delete()
    _touch(cart)
    _record(request, OrdersAction.CART_REMOVED, summary)
    return True


@transaction.atomic
def cart_merge(*, request: HttpRequest, user: User) -> int:
    """On log-in: the visitor's cart of this session joins the customer's own cart; returns the lines moved."""
    key = request.session.get(SESSION_KEY)
    if not isinstance(key, str) or not key:
        return 0
    request.session.pop(SESSION_KEY, None)
    visitor = Cart.objects.select_for_update().filter(visitor_key=key).first()
    if visitor is None:
        return 0
    own, _created = Cart.objects.get_or_create(user=user)
    own = Cart.objects.select_for_update().get(pk=own.pk)
    moved = []
    for line in visitor.lines.select_related("product"):
        same = None
        if not line.domain and not line.target_ref:
            same = own.lines.filter(product=line.product, domain="", target_ref="").first()
        if same is not None:
            same.quantity = min(same.quantity + line.quantity, MAX_QUANTITY)
            same.unit_price = line.unit_price
            same.save(update_fields=["quantity", "unit_price"])
        else:
            line.cart = own
            line.save(update_fields=["cart"])
        moved.append(_summary(line))
    visitor.delete()
    if moved:
        _touch(own)
        activity_record(
            user=user, action=OrdersAction.CART_ADDED, request=request, detail={"summary": "; ".join(moved)}
        )
    return len(moved)


@dataclass
class ReviewLine:
    line: CartLine
    price: Decimal  # what it costs now
    gone: bool  # no longer sold
    target_gone: bool = False  # the package or domain it was for is no longer the customer's

    @property
    def changed(self) -> bool:
        return self.gone or self.target_gone or self.price != self.line.unit_price

    @property
    def total(self) -> Decimal:
        return self.price * self.line.quantity


@dataclass
class CartReview:
    """The cart as it would be ordered now, and what changed since the customer saw it."""

    lines: list[ReviewLine] = field(default_factory=list)

    @property
    def changes(self) -> list[ReviewLine]:
        return [line for line in self.lines if line.changed]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines if not line.gone), Decimal("0"))

    def __len__(self) -> int:
        return len(self.lines)


def cart_review(cart: Cart | None, *, user=None) -> CartReview:
    """Every line with the price of now (two queries, and one look-up of the customer's targets)."""
    if cart is None:
        return CartReview()
    lines = list(cart.lines.select_related("product").order_by("pk"))
    owned = {target.ref for target in targets.targets_for(user)} if any(line.target_ref for line in lines) else set()
    return CartReview(
        lines=[
            ReviewLine(
                line=line,
                price=line.product.price,
                gone=not line.product.active,
                target_gone=bool(line.target_ref) and line.target_ref not in owned,
            )
            for line in lines
        ]
    )


@transaction.atomic
def cart_prices_accept(*, request: HttpRequest) -> int:
    """The customer accepts the cart as it is now: new prices taken over, lines that cannot be ordered removed."""
    cart = cart_of(request)
    if cart is None:
        return 0
    cart = Cart.objects.select_for_update().get(pk=cart.pk)
    review = cart_review(cart, user=_customer(request))
    for item in review.changes:
        if item.gone or item.target_gone:
            item.line.delete()
        else:
            item.line.unit_price = item.price
            item.line.save(update_fields=["unit_price"])
    if review.changes:
        _touch(cart)
    return len(review.changes)


@transaction.atomic
def cart_checkout(*, request: HttpRequest, user: User) -> Order:
    """Place the order of the customer's cart and empty it; refused while anything changed since it was seen.

    Each line is checked again: the price (``CartChanged`` until the customer accepts the new one), the
    package or domain it is for (the customer's own, ``services.order_place``), and a domain to register
    (``portal.targets.domain_problem``).
    """
    cart = Cart.objects.select_for_update().filter(user=user).first()
    review = cart_review(cart, user=user)
    if cart is None or not review.lines:
        raise services.OrderError(_("Your cart is empty."))
    if review.changes:
        raise CartChanged(
            _("Something in your cart changed since you added it. Please check your cart and confirm it.")
        )
    items = []
    for item in review.lines:
        line = item.line
        if line.product.takes_target and not line.target_ref:
            raise services.OrderError(
                _("Choose the hosting package or domain %(product)s is for.") % {"product": line.product.display_name}
            )
        if line.product.kind == Product.Kind.DOMAIN:
            problem = targets.domain_problem(line.domain)
            if problem:
                raise services.OrderError(problem)
        items.append(
            services.Item(product=line.product, quantity=line.quantity, domain=line.domain, target_ref=line.target_ref)
        )
    order = services.order_place(user=user, items=items, request=request)
    cart.delete()
    return order
