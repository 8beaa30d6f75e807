"""A worker that starts sends the outbox first: it is the moment the broker is known to be up."""

import logging

from celery.signals import worker_ready

logger = logging.getLogger(__name__)


@worker_ready.connect
def _drain_on_worker_ready(**kwargs) -> None:
    from netrex.outbox.publishing import drain

    try:
        drain()
    except Exception:  # the periodic drain tries again; a worker must start regardless
        logger.exception("outbox: drain at worker start failed")
