"""Activity-log actions of the orders app."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    CART_ADDED = "cart_added", _("Product added to the cart")
    CART_REMOVED = "cart_removed", _("Product removed from the cart")
    CART_QUANTITY_CHANGED = "cart_quantity_changed", _("Quantity in the cart changed")
    ORDER_PLACED = "order_placed", _("Order placed")
    ORDER_PAID = "order_paid", _("Order paid")
    ORDER_ENDED = "order_ended", _("Order not paid")
    ORDER_COMPLETED = "order_completed", _("Order completed")
    ADDON_CREDITS = "addon_bought_with_credits", _("Add-on bought with credits")
    DELIVERY_HANDED_OVER = "delivery_handed_over", _("Delivery details handed to the delivery service")
    INVOICE_DOWNLOADED = "invoice_downloaded", _("Invoice downloaded")
