"""Error reporting to Sentry, only when ``SENTRY_DSN`` is set (settings call ``init``), and without personal data.

``send_default_pii=False`` keeps users' addresses, names, IP addresses and cookies out; request bodies are never
sent and no frame's local variables either.  ``scrub_event`` runs on every event and transaction before it leaves
the process, as the last line: it drops cookies, request bodies, query strings and every request header but a few
harmless ones, keeps only the user's id, and masks whatever still looks like an e-mail or IP address anywhere in
the event (messages, exception values, breadcrumbs, extras).  Each event is tagged with the request id of the log
lines it belongs to (``netrex.request_id``).
"""

from typing import Any

from netrex import request_id
from netrex.log import mask_emails, mask_ips

# The only request headers an event keeps (lower case): none of them identifies a person.
KEPT_HEADERS = {"accept", "accept-language", "content-length", "content-type", "host", "x-request-id"}
DROPPED_REQUEST_KEYS = ("cookies", "data", "query_string", "env")


def init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """``event`` without cookies, request bodies, query strings, e-mail or IP addresses (changed in place)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in DROPPED_REQUEST_KEYS:
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    current = request_id.current()
    if current:
        tags = event.setdefault("tags", {})
        if isinstance(tags, dict):
            tags.setdefault("request_id", current)
        elif isinstance(tags, list):  # the SDK also accepts [[key, value], ...]
            tags.append(["request_id", current])
    return _masked(event)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_ips(mask_emails(value))
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value
