"""A page that queues a task after commit, as the portal's services do, and one that fails on personal data
(tests/test_logging.py)."""

import logging

from celery import shared_task
from django.http import HttpRequest, HttpResponse
from django.urls import path

from netrex import request_id

logger = logging.getLogger("tests.logging_urls")
# The request id each run of the probe saw: eager runs in the test's thread, a real worker's in its own thread.
SEEN: list[str | None] = []


@shared_task(name="tests.logging_urls.request_id_probe")
def request_id_probe() -> None:
    SEEN.append(request_id.current())
    logger.info("probe ran")


def queue_probe(request: HttpRequest) -> HttpResponse:
    logger.info("queueing the probe for a visitor who wrote from jan.jansen@example.nl")
    request_id_probe.delay_on_commit()
    return HttpResponse("queued")


def fail(request: HttpRequest) -> HttpResponse:
    email = request.POST["email"]
    raise ValueError(f"could not mail {email}")


urlpatterns = [path("probe/", queue_probe), path("fail/", fail)]
