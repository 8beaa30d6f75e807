"""Background work of the orders app: emails and the hand-off to delivery.  Tasks take ids."""

from typing import cast

from celery import shared_task


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
        from orders.signals import order_email_attachments
        from portal.email import branded_message

        subject, body = rendered
        # The "order paid" email carries the invoice as PDF (billing's receiver answers with it).
        attachments = [
            attachment
            for _receiver, answer in order_email_attachments.send(sender=Order, order=order, template=template)
            for attachment in cast(list[tuple[str, bytes, str]], answer or [])
        ]
        language = (order.user.language if order.user else "") or "nl"
        branded_message(
            subject=subject, body=body, to=[order.invoice_email], language=language, attachments=attachments
        ).send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def shipment_hand_over_task(order_id: int) -> None:
    """Hand a paid order's goods to the delivery service; safe to run twice (the second run does nothing)."""
    from orders.services import shipment_hand_over

    shipment_hand_over(order_id=order_id)


@shared_task
def order_payments_cancel_open(order_id: int) -> int:
    """A paid order's other payments that are still payable are cancelled at Mollie (so none is paid twice)."""
    from orders.services import order_payments_cancel

    return order_payments_cancel(order_id=order_id)


@shared_task
def orders_expire_unpaid() -> int:
    """Nightly: orders without payment for ``ORDER_PAYMENT_WINDOW_DAYS`` expire (abandoned orders)."""
    from orders.services import orders_expire_unpaid as expire

    return expire()
