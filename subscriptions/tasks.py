"""Background work of the subscriptions app: create the Mollie subscription after activation."""

from celery import shared_task

from payments.gateway import GatewayError


@shared_task(autoretry_for=(GatewayError,), retry_backoff=30, retry_backoff_max=3600, max_retries=12)
def subscription_schedule(subscription_id: int) -> None:
    from subscriptions.services import subscription_schedule_at_mollie

    subscription_schedule_at_mollie(subscription_id=subscription_id)
