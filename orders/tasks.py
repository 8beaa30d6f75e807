"""Background work of the orders app: emails and the hand-off to delivery.  Tasks take ids."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def order_email_send(order_id: int, template: str) -> None:
    """Send one order email (queued once, after the state change commits)."""
    from orders.models import Order
    from orders.services import render_order_email

    order = Order.objects.select_related("user").filter(pk=order_id).first()
    if order is None:
        return
    rendered = render_order_email(order, template)
    if rendered is not None:
        subject, body = rendered
        send_mail(subject, body, None, [order.invoice_email])


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def shipment_hand_over_task(order_id: int) -> None:
    """Hand a paid order's goods to the delivery service; safe to run twice (the second run does nothing)."""
    from orders.services import shipment_hand_over

    shipment_hand_over(order_id=order_id)
