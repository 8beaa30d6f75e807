"""The hand-off of goods to a delivery service (C02), behind one small interface.

``DELIVERY_ADAPTER`` (a dotted path, from the environment) names the adapter.  The default adapter
keeps the shipment in our own records only; a real carrier implements ``hand_over`` with its API
and returns the carrier's reference.  Whatever the adapter, it receives ``delivery_payload``: the
name, address and phone number, and nothing else.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from orders.models import Order

PAYLOAD_FIELDS = ("name", "street", "postal_code", "town", "country", "phone")


def delivery_payload(order: Order) -> dict[str, str]:
    """Exactly what delivery needs, taken from the order's snapshot."""
    return {
        "name": order.invoice_name,
        "street": order.invoice_street,
        "postal_code": order.invoice_postal_code,
        "town": order.invoice_town,
        "country": order.invoice_country,
        "phone": order.invoice_phone,
    }


class DeliveryAdapter:
    """A delivery service.  ``hand_over`` gives it one shipment and returns its reference for it."""

    recipient = "delivery"  # the register's recipient key (privacy.register.DELIVERY)

    def hand_over(self, *, reference: str, payload: dict[str, str]) -> str:
        raise NotImplementedError


class RecordingDeliveryAdapter(DeliveryAdapter):
    """The default: the shipment and its payload are recorded, and the warehouse works from the admin."""

    def hand_over(self, *, reference: str, payload: dict[str, str]) -> str:
        return f"NRX-{reference}"


def adapter_path() -> str:
    return settings.DELIVERY_ADAPTER


def get_adapter() -> DeliveryAdapter:
    return import_string(adapter_path())()
