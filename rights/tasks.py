"""Background work of the rights app: building exports and deleting expired ones."""

from celery import shared_task

from rights import services


@shared_task
def export_build(export_id: str) -> None:
    services.export_build(export_id=export_id)


@shared_task
def exports_expire() -> int:
    return services.exports_expire()
