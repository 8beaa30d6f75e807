"""What the portal's log lines look like and what they may never contain (``LOGGING`` in settings).

Production writes one JSON object a line (``LOG_FORMAT=json``): ``time`` (ISO 8601, UTC), ``level``, ``logger``,
``message``, ``request_id`` (``netrex.request_id``; ``-`` outside a request or task) and, when there is one, the
exception.  Nothing else: the extras Django and Celery attach to their records (the request with its query string,
a task's arguments) never reach a line.  Development writes the same fields as readable text (``LOG_FORMAT=text``).

Log messages carry ids and kinds, never personal data.  As a safety net ``MaskEmailFilter`` masks whatever looks
like an e-mail address in a rendered message, and both formatters mask tracebacks the same way.  Error mails to
``ADMINS`` (``PrivateExceptionReporter``) hold the traceback without local variables, request data, cookies or
settings.  Sentry's events are scrubbed in ``netrex.sentry``.
"""

import ipaddress
import logging
import re
import traceback
from datetime import UTC, datetime

from django.utils.html import format_html
from django.views.debug import ExceptionReporter
from pythonjsonlogger import json as jsonlogger

from netrex import request_id

EMAIL_MASK = "[email]"
IP_MASK = "[ip]"
NO_REQUEST_ID = "-"
# An address as people and programs write it, also URL-encoded (``%40``); the domain needs a dot.  The local part
# leaves out what separates it from its surroundings in a path or query string (``/``, ``=``, ``?``, ``&``).
_EMAIL = re.compile(r"[\w.%+'-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
# Candidates only: each is checked by ``ipaddress`` before it is masked (``12:30:45`` is a time, not an address).
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?![\w:.])")


def mask_emails(text: str) -> str:
    return _EMAIL.sub(EMAIL_MASK, text)


def _ip_or_same(match: re.Match) -> str:
    try:
        ipaddress.ip_address(match.group(0))
    except ValueError:
        return match.group(0)
    return IP_MASK


def mask_ips(text: str) -> str:
    return _IPV4.sub(_ip_or_same, _IPV6.sub(_ip_or_same, text))  # IPv6 first: it may end in an IPv4 address


def _request_id_of(record: logging.LogRecord) -> str:
    # Django logs a response's 4xx/5xx status after the middleware has returned, with the request on the record.
    return request_id.current() or getattr(getattr(record, "request", None), "request_id", None) or NO_REQUEST_ID


class RequestIdFilter(logging.Filter):
    """Every record names the request (or task) it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id_of(record)
        return True


class MaskEmailFilter(logging.Filter):
    """Masks e-mail addresses in the rendered message, for every handler that comes after it on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the formatter's to report, not a reason to lose the line
            return True
        masked = mask_emails(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class JsonFormatter(jsonlogger.JsonFormatter):
    """One JSON object a line with the fields of the module docstring, and only those."""

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        log_data["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.message
        log_data["request_id"] = getattr(record, "request_id", None) or _request_id_of(record)
        for name in ("exc_info", "stack_info"):
            if message_dict.get(name):
                log_data[name] = message_dict[name]

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return mask_emails(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's name)
        return mask_emails(super().formatStack(stack_info))


class TextFormatter(logging.Formatter):
    """The same fields as readable text, for development."""

    def __init__(self, fmt: str | None = None, datefmt: str | None = None, **kwargs) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s", datefmt, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id_of(record)
        return super().format(record)

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return mask_emails(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's name)
        return mask_emails(super().formatStack(stack_info))


class PrivateExceptionReporter(ExceptionReporter):
    """The error mail to ``ADMINS``: what failed and where, without the data it failed on.

    Django's own report lists every frame's local variables, the request's GET and POST data, cookies and
    headers: a customer's personal data in a mailbox.  This one gives the method and path (no query string),
    the request id and the plain traceback, with e-mail addresses masked.
    """

    def get_traceback_text(self) -> str:
        lines = []
        if self.request is not None:
            lines.append(f"{self.request.method} {self.request.path}")
        lines.append(
            f"request id: {getattr(self.request, 'request_id', None) or request_id.current() or NO_REQUEST_ID}"
        )
        if self.exc_type is not None:
            lines.append("".join(traceback.format_exception(self.exc_type, self.exc_value, self.tb)))
        elif self.exc_value:
            lines.append(str(self.exc_value))
        return mask_emails("\n".join(lines))

    def get_traceback_html(self) -> str:
        return format_html("<pre>{}</pre>", self.get_traceback_text())
