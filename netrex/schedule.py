"""The one place that defines every periodic task of the portal.

Celery beat reads this through ``netrex.celery``; ``make run`` starts beat beside the worker, and
production runs exactly one beat process (see docker-compose.yml).
"""

from celery.schedules import crontab


def beat_schedule() -> dict:
    return {
        # Messages that waited in the outbox while the broker was unreachable (netrex/outbox/).
        "outbox-drain": {
            "task": "netrex.outbox.tasks.outbox_drain",
            "schedule": crontab(minute="*"),
        },
        "accounts-clear-expired-sessions": {
            "task": "accounts.tasks.sessions_clear_expired",
            "schedule": crontab(minute=15, hour=3),
        },
        "rights-exports-expire": {
            "task": "rights.tasks.exports_expire",
            "schedule": crontab(minute=20),
        },
        "services-end-due": {
            "task": "services.tasks.services_end_due",
            "schedule": crontab(minute=5, hour=0),
        },
        # Orders nothing was paid for within ORDER_PAYMENT_WINDOW_DAYS expire (abandoned orders).
        "orders-expire-unpaid": {
            "task": "orders.tasks.orders_expire_unpaid",
            "schedule": crontab(minute=50, hour=1),
        },
        "services-record-backups": {
            "task": "services.tasks.backups_record_all",
            "schedule": crontab(minute=30, hour=4),
        },
        # Every retention rule of the register, nightly; the six-week statistics rule also hourly.
        "retention-sweep": {
            "task": "retention.tasks.retention_sweep",
            "schedule": crontab(minute=45, hour=2),
        },
        "retention-sweep-statistics": {
            "task": "retention.tasks.retention_sweep",
            "schedule": crontab(minute=35),
            "kwargs": {"rules": ["profiling_recorded"]},
        },
        # Ops and the privacy officer are mailed once when the sweep is stale or failed (retention/watchdog.py).
        "retention-sweep-watchdog": {
            "task": "retention.tasks.sweep_watchdog",
            "schedule": crontab(minute=55),
        },
        # Monthly partitions of tables partitioned by their retention clock, ready three months ahead.
        "retention-partitions-ensure": {
            "task": "retention.tasks.partitions_ensure",
            "schedule": crontab(minute=10, hour=1),
        },
        # Picks up a newsletter send whose worker died; every delivery is claimed once, so never a second copy.
        "newsletter-resume-stalled": {
            "task": "newsletter.tasks.newsletter_resume_stalled",
            "schedule": crontab(minute="*/10"),
        },
    }
