"""The one place that defines every periodic task of the portal.

Celery beat reads this through ``netrex.celery``; ``make run`` starts beat beside the worker, and
production runs exactly one beat process (see docker-compose.yml).
"""

from celery.schedules import crontab


def beat_schedule() -> dict:
    return {
        "accounts-clear-expired-sessions": {
            "task": "accounts.tasks.sessions_clear_expired",
            "schedule": crontab(minute=15, hour=3),
        },
    }
