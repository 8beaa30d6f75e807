"""The shopping cart, kept in the customer's session (nothing is stored about a cart that is never ordered)."""

from django.db import transaction
from django.http import HttpRequest

from orders.activity import Action as OrdersAction
from orders.models import Product
from orders.services import Item
from portal.activity import activity_record

SESSION_KEY = "orders_cart"


class Cart:
    def __init__(self, request: HttpRequest) -> None:
        self.session = request.session
        self.rows: list[dict] = list(self.session.get(SESSION_KEY, []))

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, *, product: Product, quantity: int, domain: str) -> None:
        for row in self.rows:
            if row["product"] == product.pk and row["domain"] == domain and not domain:
                row["quantity"] = min(row["quantity"] + quantity, 99)
                break
        else:
            self.rows.append({"product": product.pk, "quantity": quantity, "domain": domain})
        self._save()

    def remove(self, index: int) -> dict | None:
        if 0 <= index < len(self.rows):
            row = self.rows.pop(index)
            self._save()
            return row
        return None

    def clear(self) -> None:
        self.rows = []
        self._save()

    def items(self) -> list[Item]:
        """The cart's rows with their products (one query); rows of products no longer sold drop out."""
        products = Product.objects.in_bulk([row["product"] for row in self.rows])
        return [
            Item(product=products[row["product"]], quantity=row["quantity"], domain=row["domain"])
            for row in self.rows
            if row["product"] in products and products[row["product"]].active
        ]

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.rows
        self.session.modified = True


@transaction.atomic
def cart_add(*, request: HttpRequest, product: Product, quantity: int, domain: str = "") -> None:
    Cart(request).add(product=product, quantity=quantity, domain=domain)
    activity_record(
        user=request.user,
        action=OrdersAction.CART_ADDED,
        request=request,
        detail={"summary": f"{quantity} × {product.title}" + (f" ({domain})" if domain else "")},
    )


@transaction.atomic
def cart_remove(*, request: HttpRequest, index: int) -> bool:
    row = Cart(request).remove(index)
    if row is None:
        return False
    activity_record(
        user=request.user,
        action=OrdersAction.CART_REMOVED,
        request=request,
        detail={"summary": f"product {row['product']}"},
    )
    return True
