"""Mollie unreachable or answering 500: a clear message, nothing half-recorded (C36).

The Mollie client is pointed (``MOLLIE_API_ENDPOINT``) at a closed port, and at a tiny local server
that answers every call with HTTP 500.  Checkout, a subscription, an in-app purchase and a credit
pack must each tell the customer and leave no payment, no pending order and no subscription behind.
"""

import http.server
import io
import threading

import pytest
from django.contrib.messages import constants
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from tests.fault.conftest import free_port

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db(transaction=True)]


class _Answer500(http.server.BaseHTTPRequestHandler):
    def _fail(self) -> None:
        self.server.calls += 1
        body = b'{"status": 500, "title": "Internal Server Error", "detail": "down"}'
        self.send_response(500)
        self.send_header("Content-Type", "application/hal+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = do_PATCH = _fail

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(params=["closed port", "answers 500"])
def mollie_down(request, settings, monkeypatch):
    """Mollie down; and every call to it is made outside a database transaction (no lock held while waiting)."""
    from django.db import connection

    from payments import gateway

    original, in_transaction = gateway._client, []

    def client():
        in_transaction.append(connection.in_atomic_block)
        return original()

    monkeypatch.setattr(gateway, "_client", client)
    yield from _mollie_down(request.param, settings)
    assert in_transaction and not any(in_transaction), "Mollie was called inside a database transaction"


def _mollie_down(param, settings):
    if param == "closed port":
        settings.MOLLIE_API_ENDPOINT = f"http://127.0.0.1:{free_port()}"
        yield None
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer500)
    server.calls = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MOLLIE_API_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
    assert server.calls >= 1  # the portal really asked this Mollie


@pytest.fixture
def shop(db):
    from orders.demo import seed
    from subscriptions.demo import seed_plans

    seed(customer=None, staff=None, stdout=io.StringIO(), options={})
    seed_plans(stdout=io.StringIO())


@pytest.fixture
def buyer(client):
    user = UserFactory(street="Oostdam 2", postal_code="3441 EM", town="Woerden", phone="+31348433886")
    client.force_login(user)
    return user


def _error_shown(response) -> str:
    assert response.status_code == 200
    errors = [m.message for m in response.context["messages"] if m.level == constants.ERROR]
    assert len(errors) == 1, errors
    assert escape(str(errors[0])) in response.content.decode()  # shown on the page it lands on
    return str(errors[0])


def _nothing_payable(user) -> None:
    from payments.models import Payment

    assert not Payment.objects.filter(user=user).exists()


def test_checkout(mollie_down, shop, buyer, client):
    from orders.models import Order, Product

    product = Product.objects.get(slug="yubikey-5-nfc")
    client.post(reverse("orders:cart_add"), {"product": product.pk, "quantity": 1, "domain": ""})
    response = client.post(reverse("orders:checkout"), follow=True)
    _error_shown(response)
    order = Order.objects.get(user=buyer)
    assert order.status == Order.Status.CREATED  # saved, not paid, not pending: payable again from its page
    assert order.paid_at is None
    _nothing_payable(buyer)
    assert response.redirect_chain[-1][0] == order.get_absolute_url()


def test_in_app_purchase(mollie_down, shop, buyer, client, monkeypatch):
    from orders.models import Order, Product
    from portal import targets

    package = targets.Target(ref="service:1", kind="hosting", domain="koper.nl", label="Hosting koper.nl")
    monkeypatch.setattr(targets, "_sources", [lambda user: [package] if user.pk == buyer.pk else []])
    product = Product.objects.get(slug="addon-backup")
    response = client.post(reverse("orders:addon_buy", args=[product.pk]), {"target": package.ref}, follow=True)
    _error_shown(response)
    assert list(Order.objects.filter(user=buyer).values_list("kind", "status")) == [
        (Order.Kind.IN_APP, Order.Status.CREATED)
    ]
    _nothing_payable(buyer)


def test_credit_pack(mollie_down, shop, buyer, client):
    from credits.models import CreditEntry
    from orders.models import Order, Product

    product = Product.objects.get(slug="credits-10")
    response = client.post(reverse("orders:credit_pack_buy", args=[product.pk]), follow=True)
    _error_shown(response)
    assert list(Order.objects.filter(user=buyer).values_list("status", flat=True)) == [Order.Status.CREATED]
    assert not CreditEntry.objects.filter(user=buyer).exists()
    _nothing_payable(buyer)


def test_subscription(mollie_down, shop, buyer, client):
    from subscriptions.models import Plan, Subscription

    plan = Plan.objects.filter(active=True).first() or Plan.objects.first()
    response = client.post(
        reverse("subscriptions:subscribe", args=[plan.code]), {"target": "new", "domain": "storing.nl"}, follow=True
    )
    _error_shown(response)
    assert not Subscription.objects.filter(user=buyer).exists()
    _nothing_payable(buyer)
