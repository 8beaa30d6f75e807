"""The Celery app, configured from Django settings (the ``CELERY_`` namespace).

Tasks are Django-aware (``DjangoTask``), so services queue them with ``task.delay_on_commit(id)``:
nothing is sent for a change that is rolled back.  Periodic tasks are defined in
``netrex.schedule`` and nowhere else.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netrex.settings")

app = Celery("netrex", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender: Celery, **kwargs) -> None:
    from netrex.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
