"""Background work of the services app: applying changes, ending services, recording backups."""

from celery import shared_task

from hosting import services
from hosting.models import Service


@shared_task(name="services.tasks.change_apply")  # the name queued messages carry
def change_apply(change_id: int) -> None:
    """Hand one change to the provisioning adapter; a change already applied or failed is left alone."""
    services.change_apply(change_id=change_id)


@shared_task(name="services.tasks.services_end_due")  # the name queued messages carry
def services_end_due() -> int:
    """End the services whose paid period has passed (cancelled subscriptions)."""
    return services.services_end_due()


@shared_task(name="services.tasks.backups_record_all")  # the name queued messages carry
def backups_record_all() -> int:
    """Ask the control panel for the backups of every live hosting package."""
    count = 0
    live = Service.objects.live().filter(kind=Service.Kind.HOSTING).only("pk", "domain", "kind")
    for service in live.iterator(chunk_size=200):
        count += services.backups_record(service=service)
    return count
