"""Background work of the services app: applying changes, ending services, recording backups."""

from celery import shared_task

from services import services
from services.models import Service


@shared_task
def change_apply(change_id: int) -> None:
    """Hand one change to the provisioning adapter; a change already applied or failed is left alone."""
    services.change_apply(change_id=change_id)


@shared_task
def services_end_due() -> int:
    """End the services whose paid period has passed (cancelled subscriptions)."""
    return services.services_end_due()


@shared_task
def backups_record_all() -> int:
    """Ask the control panel for the backups of every live hosting package."""
    count = 0
    live = Service.objects.live().filter(kind=Service.Kind.HOSTING).only("pk", "domain", "kind")
    for service in live.iterator(chunk_size=200):
        count += services.backups_record(service=service)
    return count
