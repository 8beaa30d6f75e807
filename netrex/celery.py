"""The Celery app, configured from Django settings (the ``CELERY_`` namespace).

Tasks are Django-aware (``DjangoTask``), so services queue them with ``task.delay_on_commit(id)``:
nothing is sent for a change that is rolled back.  Their class is ``netrex.outbox.task.OutboxTask``:
a message that cannot reach the broker waits in the database outbox instead of being lost.
Periodic tasks are defined in ``netrex.schedule`` and nowhere else.
"""

import os
import sys
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netrex.settings")

_path_before = list(sys.path)
app = Celery("netrex", task_cls="netrex.outbox.task:OutboxTask")
# Celery's Django fix-up puts the working directory first on sys.path.  Run from an app's folder
# (``cd consent && ../manage.py makemessages``) that would let the app's own modules shadow
# installed packages of the same name (consent/csp.py over django-csp); the project folder is on
# the path already, so take the working directory off again unless it was there before.
_inserted = sys.path[1:] == _path_before and sys.path[:1] == [os.getcwd()]
if _inserted and Path.cwd() != Path(__file__).resolve().parent.parent:
    sys.path.pop(0)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _install_beat_schedule(sender: Celery, **kwargs) -> None:
    from netrex.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
