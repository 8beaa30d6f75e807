"""Redis hung: it accepts connections and never answers (a SIGSTOP'd redis-server, seen from the portal).

Every Redis client has connect and read timeouts, the cache then fails open, a broker that hung is skipped
for a few seconds (its messages wait in the outbox) and the health checks are bounded: a customer page, the
login, Mollie's webhook and /healthz each answer within ``BOUND`` seconds (a bound, not a benchmark) (C36).
Each request runs in a thread of its own, like a fresh web thread that has learnt nothing about Redis yet.
"""

import socket
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.tests.factories import UserFactory
from netrex.celery import app
from netrex.outbox.models import OutboxMessage
from payments import gateway
from tests.fault.conftest import _reset_pool, free_port

BOUND = 3.0
PASSWORD = "Lang-genoeg-wachtwoord-7"
pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db(transaction=True)]


class HungRedis:
    """A socket server on a free port that accepts every connection, holds it and never answers."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _address = self.server.accept()
            except TimeoutError:
                continue
            self.held.append(conn)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        for conn in [*self.held, self.server]:
            conn.close()


@pytest.fixture
def hung_redis(settings):
    """The cache and the broker (not eager) on the hung "Redis", as in production where both share one."""
    server = HungRedis()
    keys = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager")
    previous = {key: app.conf[key] for key in keys}
    settings.CELERY_BROKER_URL = server.url
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url, "KEY_PREFIX": "fault"}}
    app.conf.update(broker_url=server.url, broker_write_url=server.url, broker_read_url=server.url)
    app.conf.update(task_always_eager=False)
    _reset_pool(app)
    yield server
    app.conf.update(previous)
    _reset_pool(app)
    app.broker_down_until = 0.0
    server.close()


def _timed(send):
    """``send()`` in a thread of its own, after the process forgot any broker failure; (response, seconds)."""
    app.broker_down_until = 0.0
    outcome = {}

    def run() -> None:
        try:
            outcome["response"] = send()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    started = time.monotonic()
    thread.start()
    thread.join(timeout=60)
    elapsed = time.monotonic() - started
    assert "error" not in outcome, outcome.get("error")
    assert "response" in outcome, "the request did not answer in a minute"
    return outcome["response"], elapsed


def test_a_customer_page_answers_within_the_bound(hung_redis):
    browser = Client()
    browser.force_login(UserFactory())
    for name in ("accounts:dashboard", "orders:list"):
        response, seconds = _timed(lambda name=name: browser.get(reverse(name)))
        assert response.status_code == 200, name
        assert seconds < BOUND, f"{name} took {seconds:.1f}s on the hung Redis"


def test_the_login_page_and_a_login_answer_within_the_bound(hung_redis):
    user = UserFactory(password=PASSWORD)
    response, seconds = _timed(lambda: Client().get(reverse("account_login")))
    assert response.status_code == 200 and seconds < BOUND, seconds
    response, seconds = _timed(
        lambda: Client().post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    )
    assert response.status_code == 302 and seconds < BOUND, seconds  # allauth's rate limit failed open


def test_a_paid_mollie_webhook_answers_within_the_bound_and_its_tasks_wait_in_the_outbox(hung_redis, monkeypatch):
    from orders.demo import seed
    from orders.models import Order, Product
    from orders.services import Item, order_place
    from orders.tests.helpers import payment_for

    class Quiet:
        def write(self, *args, **kwargs) -> None:
            pass

    seed(customer=None, staff=None, stdout=Quiet(), options={})
    order = order_place(user=UserFactory(), items=[Item(Product.objects.get(slug="credits-50"))], kind="credits")
    payment = payment_for(order)

    def paid(mollie_id: str) -> gateway.RemotePayment:
        return gateway.RemotePayment(
            id=mollie_id,
            status="paid" if mollie_id == payment.mollie_id else "open",
            amount=Decimal(order.total),
            currency="EUR",
            method="ideal",
            sequence_type="oneoff",
            customer_id="",
            mandate_id="",
            subscription_id="",
            description="order",
            paid_at=None,
            checkout_url="",
        )

    monkeypatch.setattr(gateway, "payment_get", paid)
    response, seconds = _timed(lambda: Client().post("/betalingen/webhook/", {"id": payment.mollie_id}))
    assert response.status_code == 200 and seconds < BOUND, seconds
    order.refresh_from_db()
    assert order.status in (Order.Status.PAID, Order.Status.COMPLETED)
    assert OutboxMessage.objects.exists()  # what the paid order queued waits for the broker

    # an id the portal does not know goes through the (failing-open) rate limit in the cache
    response, seconds = _timed(lambda: Client().post("/betalingen/webhook/", {"id": "tr_unknown1"}))
    assert response.status_code == 200 and seconds < BOUND, seconds


def _publish_seconds() -> float:
    started = time.monotonic()
    with pytest.raises(OperationalError):
        app.send_task("fault.nothing")
    return time.monotonic() - started


def test_a_broker_that_hung_is_skipped_for_a_while_and_one_that_refuses_is_asked_every_time(hung_redis):
    app.broker_down_until = 0.0
    assert _publish_seconds() < BOUND  # one attempt, bounded by the read timeout
    assert app.broker_down_until > time.monotonic()
    assert _publish_seconds() < 0.1  # skipped: the request does not wait again

    refusing = f"redis://127.0.0.1:{free_port()}/0"
    app.conf.update(broker_url=refusing, broker_write_url=refusing, broker_read_url=refusing)
    _reset_pool(app)
    app.broker_down_until = 0.0
    assert _publish_seconds() < 0.5
    assert app.broker_down_until == 0.0  # a refusal costs nothing: the broker is asked again next time


def test_healthz_answers_within_the_bound_and_readyz_reports_redis_failed(hung_redis):
    response, seconds = _timed(lambda: Client().get("/healthz"))
    assert response.status_code == 200 and seconds < BOUND, seconds
    response, seconds = _timed(lambda: Client().get("/readyz"))
    assert seconds < BOUND, seconds
    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["cache"], body["broker"]) == ("ok", "fail", "fail")
