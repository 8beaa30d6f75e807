"""The request id: one id per request, on every log line the request causes and in the Celery tasks it starts.

``RequestIdMiddleware`` takes a sane ``X-Request-ID`` from the proxy (at most 64 of ``A-Z a-z 0-9 - _ .``, so that
nobody can write into the logs through it) or makes a uuid4 hex, keeps it in a context variable while the request
is served and answers with it in ``X-Request-ID``; ``netrex.log.RequestIdFilter`` puts it on every log record.

Celery carries it (the receivers are connected in ``netrex.celery``): ``before_task_publish`` writes the current id
into the headers of every message published while one is set, and a worker sets it from those headers for the
duration of the task (``task_prerun``, ``task_postrun``).  A task run eagerly keeps the id of the code that called
it; a task without one (beat's) gets an id of its own, so that its log lines still belong together.  A message that
waited in the database outbox (``netrex.outbox``) keeps only its task, arguments and a few options there: it is
published later by the drain task and then carries the drain's id, not the id of the request that queued it.
"""

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by netrex.celery, before Django is set up
    from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# The name of the id in a Celery message's headers (and so an attribute of a worker's ``task.request``).
TASK_HEADER = "netrex_request_id"
_VALID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# Where a worker keeps what resets the context variable after the task (an attribute of ``task.request``).
_RESET_ATTRIBUTE = "_netrex_request_id_reset"

_current: ContextVar[str | None] = ContextVar("netrex_request_id", default=None)


def current() -> str | None:
    """The id of the request or task being served in this context; ``None`` outside of both."""
    return _current.get()


def new() -> str:
    return uuid.uuid4().hex


def clean(value: object) -> str | None:
    """``value`` if it is a sane request id, else ``None``."""
    return value if isinstance(value, str) and _VALID.fullmatch(value) else None


@contextlib.contextmanager
def bound(value: str) -> Iterator[str]:
    """Make ``value`` the current request id inside the ``with`` block."""
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[["HttpRequest"], "HttpResponse"]) -> None:
        self.get_response = get_response

    def __call__(self, request: "HttpRequest") -> "HttpResponse":
        request_id = clean(request.headers.get(HEADER)) or new()
        request.request_id = request_id
        with bound(request_id):
            response = self.get_response(request)
        response[HEADER] = request_id
        return response


def on_before_task_publish(headers: dict | None = None, **kwargs) -> None:
    """Celery's ``before_task_publish``: the message carries the current id (a message's own id is kept)."""
    request_id = current()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def on_task_prerun(task=None, **kwargs) -> None:
    """Celery's ``task_prerun``: the task runs under the id of its message, the caller's (eager) or a new one."""
    if task is None:
        return
    request = task.request
    # A worker's message headers are attributes of the request; an eager call's ``headers`` option a dict of its own.
    sent = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    request_id = clean(sent)
    if request_id is None and getattr(request, "is_eager", False):
        request_id = current()
    setattr(request, _RESET_ATTRIBUTE, _current.set(request_id or new()))


def on_task_postrun(task=None, **kwargs) -> None:
    """Celery's ``task_postrun``: the worker's context is as it was before the task."""
    token = getattr(task.request, _RESET_ATTRIBUTE, None) if task is not None else None
    if token is None:
        return
    setattr(task.request, _RESET_ATTRIBUTE, None)
    try:
        _current.reset(token)
    except ValueError:  # set in another context (cannot happen with Celery's pools): forget the id rather than fail
        _current.set(None)
