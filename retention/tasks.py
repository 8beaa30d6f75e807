"""The nightly (and the more frequent statistics) retention sweep, run by Celery beat."""

from celery import shared_task

from retention import services


@shared_task
def retention_sweep(rules: list[str] | None = None) -> dict:
    """Sweep every rule, or only ``rules``; a second sweep started meanwhile records itself as locked."""
    report = services.retention_sweep_run(rules=rules)
    return {"run": report.run.pk, "status": report.run.status}
