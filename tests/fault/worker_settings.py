"""Settings of the Celery worker that the fault tests start: the test settings, really queued."""

from netrex.test_settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
# A killed worker's unacknowledged message comes back after this many seconds (production: an hour).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
}
# Every message as a file, and a SIGKILL at a chosen message (tests/fault/worker_app.py).
EMAIL_BACKEND = "tests.fault.worker_app.KillingFileBackend"
