"""The retention sweep (nightly, and hourly for statistics), its hourly watchdog and the daily monthly partitions,
run by Celery beat."""

from celery import shared_task

from retention import partitions, services, watchdog


@shared_task
def retention_sweep(rules: list[str] | None = None) -> dict:
    """Sweep every rule, or only ``rules``; a second sweep started meanwhile records itself as locked."""
    report = services.retention_sweep_run(rules=rules)
    return {"run": report.run.pk, "status": report.run.status}


@shared_task
def partitions_ensure() -> dict:
    """Create the partitions of this month and the next three for every table partitioned by its clock."""
    return partitions.ensure_all()


@shared_task
def sweep_watchdog() -> str:
    """Mail ops and the privacy officer once when the sweep is stale or failed (``retention.watchdog``)."""
    return watchdog.sweep_check()
