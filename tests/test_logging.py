"""Logs and alerts (C36): structured log lines with a request id and no e-mail address, the request id carried into
the tasks a request starts, and error reports (mails to ADMINS, Sentry) without personal data."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from logging.config import DictConfigurator
from unittest import mock

import pytest
import sentry_sdk
from celery.signals import task_postrun, task_prerun
from django.core import mail

from hosting.models import Change, Service
from hosting.provisioning import RecordingAdapter
from netrex import request_id, sentry
from netrex.celery import app
from netrex.log import MaskEmailFilter, mask_ips
from tests import logging_urls
from tests.fault.conftest import broker, redis_server  # noqa: F401  (fixtures of the outbox test)
from tests.test_deploy import ROOT, _production_env

pytestmark = pytest.mark.clause("C36")

EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+\.\w+")
FIELDS = ["time", "level", "logger", "message", "request_id"]
PROBE = "tests.logging_urls.request_id_probe"


@pytest.fixture
def json_log(settings):
    """The production console handler (the JSON formatter and the filters of ``LOGGING``), writing to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    configurator = DictConfigurator({})
    handler.setFormatter(configurator.configure_formatter(dict(settings.LOGGING["formatters"]["json"])))
    for name in settings.LOGGING["handlers"]["console"]["filters"]:
        handler.addFilter(configurator.configure_filter(dict(settings.LOGGING["filters"][name])))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.fixture
def probe_seen():
    logging_urls.SEEN.clear()
    yield logging_urls.SEEN
    logging_urls.SEEN.clear()


def _python(script: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "netrex.settings", "DJANGO_DEBUG": "on", **env}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db
def test_a_json_line_has_time_level_logger_and_request_id_and_no_email_address(client, json_log):
    response = client.get("/nergens/jan.jansen@example.nl/", HTTP_X_REQUEST_ID="proxy-4f2.a_1")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-4f2.a_1"
    lines = json_log()
    [line] = [line for line in lines if line["logger"] == "django.request"]
    assert list(line) == FIELDS  # nothing else: not Django's request object with its query string
    assert datetime.fromisoformat(line["time"]).utcoffset() is not None
    assert (line["level"], line["request_id"]) == ("WARNING", "proxy-4f2.a_1")
    assert line["message"] == "Not Found: /nergens/[email]/"
    assert not [line for line in lines if EMAIL.search(json.dumps(line))]


def test_tracebacks_are_masked_too_and_lines_outside_a_request_say_so(json_log):
    try:
        raise ValueError("no mailbox piet@example.com")
    except ValueError:
        logging.getLogger("netrex.test").exception("sending to %s failed", "jan.jansen@example.nl")
    [line] = json_log()
    assert list(line) == [*FIELDS, "exc_info"]
    assert line["message"] == "sending to [email] failed"
    assert line["exc_info"].endswith("ValueError: no mailbox [email]")
    assert line["request_id"] == "-"


def test_the_safety_net_masks_addresses_also_url_encoded():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "to %s (%s)", ("jan@example.nl", "piet%40example.com"), None
    )
    assert MaskEmailFilter().filter(record) is True
    assert record.getMessage() == "to [email] ([email])"
    untouched = logging.LogRecord("x", logging.INFO, __file__, 1, "change %s of service %s", (11, 7), None)
    MaskEmailFilter().filter(untouched)
    assert (untouched.msg, untouched.args) == ("change %s of service %s", (11, 7))


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["", "x" * 65, "two words", "line\nbreak", "<script>", "ünïcode"])
def test_an_insane_incoming_request_id_is_replaced_by_a_fresh_one(client, sent):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


def test_hosting_provisioning_logs_ids_and_kinds_not_the_customers_addresses(caplog):
    service = Service(pk=7, kind=Service.Kind.HOSTING, domain="jansen-bakkerij.nl")
    change = Change(
        pk=11,
        service=service,
        kind=Change.Kind.FORWARDER_ADD,
        payload={"address": "info@jansen-bakkerij.nl", "destination": "jan.jansen@example.nl"},
    )
    with caplog.at_level(logging.INFO, logger="hosting.provisioning"):
        applied = RecordingAdapter().apply(change)
    assert applied["data"]["destination"] == "jan.jansen@example.nl"  # the control panel still gets it
    [record] = caplog.records
    assert record.getMessage() == "provisioning (recorded, not sent): change 11 (forwarder_add) of service 7"


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.logging_urls")
def test_a_task_the_request_queues_runs_and_logs_under_the_requests_id(client, json_log, probe_seen):
    response = client.get("/probe/", HTTP_X_REQUEST_ID="req-eager-1")
    assert response.status_code == 200
    assert probe_seen == ["req-eager-1"]  # queued after commit, run eagerly as in every test
    lines = [line for line in json_log() if line["logger"] == "tests.logging_urls"]
    assert [(line["message"], line["request_id"]) for line in lines] == [
        ("queueing the probe for a visitor who wrote from [email]", "req-eager-1"),
        ("probe ran", "req-eager-1"),
    ]
    assert request_id.current() is None  # nothing left behind in the thread that served the request


def test_the_request_id_travels_in_the_message_headers_and_is_set_around_the_task_in_the_worker():
    producer = mock.MagicMock()
    with request_id.bound("req-publish-1"):
        app.amqp.send_task_message(producer, PROBE, app.amqp.create_task_message("task-1", PROBE, (), {}))
    assert producer.publish.call_args.kwargs["headers"][request_id.TASK_HEADER] == "req-publish-1"
    outside = mock.MagicMock()
    app.amqp.send_task_message(outside, PROBE, app.amqp.create_task_message("task-2", PROBE, (), {}))
    assert request_id.TASK_HEADER not in outside.publish.call_args.kwargs["headers"]

    # In a worker the message's headers are the task's request: the id is set for the task and reset after it.
    task = logging_urls.request_id_probe
    for headers, expected in (({request_id.TASK_HEADER: "req-publish-1"}, "req-publish-1"), ({}, None)):
        task.push_request(id="task-1", **headers)
        try:
            task_prerun.send(sender=task, task_id="task-1", task=task, args=(), kwargs={})
            seen = request_id.current()
            task_postrun.send(
                sender=task, task_id="task-1", task=task, args=(), kwargs={}, retval=None, state="SUCCESS"
            )
        finally:
            task.pop_request()
        if expected:
            assert seen == expected
        else:  # beat's tasks come without one: an id of its own, so that the task's lines belong together
            assert re.fullmatch(r"[0-9a-f]{32}", seen)
        assert request_id.current() is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.logging_urls")
def test_a_real_worker_runs_the_task_under_the_id_of_the_request_that_queued_it(celery_worker, client, probe_seen):
    assert client.get("/probe/", HTTP_X_REQUEST_ID="req-worker-1").status_code == 200
    deadline = time.monotonic() + 20
    while not probe_seen and time.monotonic() < deadline:
        time.sleep(0.05)
    assert probe_seen == ["req-worker-1"]


@pytest.mark.django_db(transaction=True)
def test_a_message_kept_in_the_outbox_is_sent_later_under_the_drains_id(request):
    from accounts.tasks import sessions_clear_expired
    from netrex.outbox.models import OutboxMessage
    from netrex.outbox.publishing import drain

    server = request.getfixturevalue("broker")
    server.stop()
    with request_id.bound("req-outbox-1"):
        sessions_clear_expired.delay()  # the broker is down: kept in the outbox, the request carries on
    waiting = OutboxMessage.objects.get()
    server.start()
    with request_id.bound("drain-1"):
        assert drain() == 1
    [raw] = server.client().lrange("celery", 0, -1)
    headers = json.loads(raw)["headers"]
    assert headers["id"] == waiting.task_id
    assert headers[request_id.TASK_HEADER] == "drain-1"


@pytest.mark.django_db
@pytest.mark.urls("tests.logging_urls")
def test_a_server_error_is_mailed_to_admins_without_the_data_it_failed_on(client, settings):
    settings.ADMINS = [("Netrex ops", "ops@netrex.example")]
    client.raise_request_exception = False
    client.cookies["sessionid"] = "secret-session-key"
    response = client.post(
        "/fail/?next=/bestelling/",
        {"email": "jan.jansen@example.nl", "phone": "+31612345678"},
        HTTP_X_REQUEST_ID="r-500",
    )
    assert response.status_code == 500
    [message] = mail.outbox
    assert message.to == ["ops@netrex.example"]
    assert "POST /fail/" in message.body and "request id: r-500" in message.body
    assert "ValueError: could not mail [email]" in message.body
    for leaked in ("jan.jansen", "+31612345678", "secret-session-key", "next=", "HTTP_COOKIE", "SECRET_KEY"):
        assert leaked not in message.body and leaked not in message.subject


def test_without_sentry_dsn_sentry_is_not_initialised(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


def test_with_sentry_dsn_sentry_starts_without_personal_data():
    result = _python(
        "import json, django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); o = client.options; "
        "print(json.dumps({'active': client.is_active(), 'pii': o['send_default_pii'],"
        " 'body': o['max_request_body_size'], 'locals': o['include_local_variables'],"
        " 'environment': o['environment'], 'rate': o['traces_sample_rate'],"
        " 'scrub': [f.__module__ + '.' + f.__name__ for f in (o['before_send'], o['before_send_transaction'])],"
        " 'integrations': sorted(client.integrations)}))",
        SENTRY_DSN="https://public@sentry.invalid/1",
        SENTRY_ENVIRONMENT="staging",
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert options["active"] is True
    assert (options["pii"], options["body"], options["locals"]) == (False, "never", False)
    assert (options["environment"], options["rate"]) == ("staging", 0.0)
    assert options["scrub"] == ["netrex.sentry.scrub_event", "netrex.sentry.scrub_event"]
    assert {"django", "celery"} <= set(options["integrations"])


def test_the_sentry_scrubber_removes_email_and_ip_addresses_cookies_bodies_and_query_strings():
    event = {
        "message": "mail to jan.jansen@example.nl from 203.0.113.9 failed at 12:30:45",
        "exception": {
            "values": [
                {
                    "type": "SMTPRecipientsRefused",
                    "value": "{'piet@example.com': (550, b'no such user')}",
                    "stacktrace": {"frames": [{"function": "send", "vars": {"to": "'jan.jansen@example.nl'"}}]},
                }
            ]
        },
        "request": {
            "url": "https://portaal.netrex.nl/account/?email=jan.jansen%40example.nl",
            "method": "POST",
            "query_string": "email=jan.jansen%40example.nl",
            "data": {"email": "jan.jansen@example.nl", "password": "Geheim-wachtwoord-1"},
            "cookies": {"sessionid": "secret-session-key"},
            "headers": {
                "Cookie": "sessionid=secret-session-key",
                "Host": "portaal.netrex.nl",
                "Referer": "https://portaal.netrex.nl/?ref=jan",
                "X-Forwarded-For": "203.0.113.9, 10.0.0.1",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"id": 42, "email": "jan.jansen@example.nl", "ip_address": "2001:db8::7", "username": "jjansen"},
        "breadcrumbs": {"values": [{"category": "auth", "message": "login by jan.jansen@example.nl from 2001:db8::7"}]},
        "extra": {"celery-job": {"args": ["jan.jansen@example.nl"], "kwargs": {"to": ["piet@example.com"]}}},
        "tags": {"celery_task_name": "portal.tasks.email_send"},
        "timestamp": "2026-11-29T12:30:45.123456Z",
    }
    with request_id.bound("req-sentry-1"):
        scrubbed = sentry.scrub_event(event, {})
    text = json.dumps(scrubbed)
    for leaked in (
        "jan.jansen",
        "piet@",
        "203.0.113.9",
        "10.0.0.1",
        "2001:db8::7",
        "secret-session",
        "Geheim",
        "jjansen",
    ):
        assert leaked not in text, leaked
    assert scrubbed["request"] == {
        "url": "https://portaal.netrex.nl/account/",
        "method": "POST",
        "headers": {"Host": "portaal.netrex.nl"},
    }
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["message"] == "mail to [email] from [ip] failed at 12:30:45"
    assert scrubbed["tags"] == {"celery_task_name": "portal.tasks.email_send", "request_id": "req-sentry-1"}
    assert scrubbed["timestamp"] == event["timestamp"]


def test_ip_addresses_are_recognised_but_times_and_ports_are_left_alone():
    text = "at 12:30:45 from ::1, 192.168.1.10:8000, [2001:db8::1]:443, ::ffff:192.0.2.1 and 999.1.1.1"
    assert mask_ips(text) == "at 12:30:45 from [ip], [ip]:8000, [[ip]]:443, [ip] and 999.1.1.1"


def test_django_admins_is_read_as_name_and_address_pairs():
    script = "import json, django; from django.conf import settings; django.setup(); print(json.dumps(settings.ADMINS))"
    result = _python(script, DJANGO_ADMINS='Netrex ops <ops@netrex.nl>,"Privacy, team" <privacy@netrex.nl>')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        ["Netrex ops", "ops@netrex.nl"],
        ["Privacy, team", "privacy@netrex.nl"],
    ]
    refused = _python(script, DJANGO_ADMINS="ops")
    assert refused.returncode != 0 and "DJANGO_ADMINS" in refused.stderr


def test_production_logs_json_by_default():
    env = _production_env()
    env.pop("LOG_FORMAT", None)
    script = (
        "import logging, django; django.setup(); from netrex import request_id; "
        "request_id._current.set('req-prod-1'); "
        "logging.getLogger('netrex.check').info('mail for %s queued', 'jan@x.nl')"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert list(line) == FIELDS
    assert (line["level"], line["logger"], line["request_id"]) == ("INFO", "netrex.check", "req-prod-1")
    assert line["message"] == "mail for [email] queued"
