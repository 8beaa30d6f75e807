"""The demo data command: idempotent, with a staff member who has MFA, and fast bulk customers."""

import io
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from portal.roles import ROLES

pytestmark = pytest.mark.django_db


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_a_customer_and_staff_with_totp_and_is_idempotent(client):
    output = _seed()
    assert "demo / Netrex-demo-2026!" in output
    assert "beheer / Netrex-beheer-2026!" in output
    _seed()
    assert User.objects.filter(username__in=["demo", "beheer"]).count() == 2
    staff = User.objects.get(username="beheer")
    assert staff.is_staff
    assert set(staff.groups.values_list("name", flat=True)) == set(ROLES)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count() == 1
    assert EmailAddress.objects.filter(user__username="demo", verified=True).count() == 1
    response = client.post("/account/login/", {"login": "demo", "password": "Netrex-demo-2026!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_seed_demo_bulk_creates_many_customers_quickly():
    _seed()
    with CaptureQueriesContext(connection) as plain:
        _seed()
    started = time.monotonic()
    with CaptureQueriesContext(connection) as bulk:
        output = _seed("--customers", "500")
    assert time.monotonic() - started < 15
    # Bulk inserts: 500 customers cost a handful of queries on top of a plain run (the other apps'
    # demo hooks included), not one or more per customer.
    assert len(bulk) - len(plain) < 30
    assert "500 bulk customers" in output
    assert User.objects.filter(username__startswith="klant").count() == 500
    assert EmailAddress.objects.filter(user__username__startswith="klant", verified=True).count() == 500
    _seed("--customers", "10")
    assert User.objects.filter(username__startswith="klant").count() == 510


def _clocks(order) -> tuple:
    from orders.models import Order

    order = Order.objects.get(pk=order.pk)
    return (order.created_at, order.paid_at, order.completed_at, order.ended_at, order.invoice_date, order.status)


@pytest.mark.clause("C23", "C42")
def test_seed_demo_twice_around_a_customers_order_of_today_leaves_its_clocks_alone(capsys):
    """`make run` restarted: the demo ages only rows it built for demo accounts, never a customer's order."""
    import json

    from accounts.tests.factories import UserFactory
    from orders.demo import seed as catalogue_seed
    from orders.models import Product
    from orders.services import Item, order_payment_update, order_place
    from orders.tests.helpers import payment_for
    from payments.models import Payment

    catalogue_seed(customer=None, staff=None, stdout=io.StringIO(), options={})
    customer = UserFactory(street="Oostdam 2", postal_code="3441 EM", town="Woerden")
    order = order_place(user=customer, items=[Item(product=Product.objects.get(slug="hosting-start"))])
    payment = payment_for(order)
    payment.status = Payment.Status.PAID
    payment.save(update_fields=["status"])
    order_payment_update(payment=payment, previous_status=Payment.Status.OPEN)
    before = _clocks(order)
    assert before[2] is not None  # completed today: the order's clocks have started

    first = _seed("--spread-years", "9")
    middle = _clocks(order)
    second = _seed("--spread-years", "9")

    assert _clocks(order) == middle == before
    assert "could not age" not in first + second
    assert "already on both sides" in second
    # Rules kept at the event itself (no period) are not reported as missing a declaration.
    assert not any(rule in first for rule in ("newsletter_unsubscribed", "account_closed", "advertising_objected"))
    # Nothing of the real customer is due, and nothing the second run saw needed building again.
    assert not User.objects.get(pk=customer.pk).is_demo
    call_command("retention_sweep", "--dry-run", "--json")
    report = json.loads(capsys.readouterr().out)
    assert all(r["due"] > 0 for r in report["rules"])
    from django.utils import timezone

    from retention.engine import sweep_declarations

    now = timezone.now()
    for declaration in sweep_declarations():
        due = declaration.due(now)
        owner = declaration.owner
        if owner:
            lookup = "is_demo" if owner == "pk" else f"{owner}__is_demo"
            assert not due.exclude(**{lookup: True}).exists(), declaration.key


def test_the_second_run_builds_nothing_and_nothing_built_is_offered():
    from orders.models import Product
    from subscriptions.models import Plan

    _seed("--spread-years", "9")
    users, plans, products = User.objects.count(), Plan.objects.count(), Product.objects.count()
    _seed("--spread-years", "9")
    assert (User.objects.count(), Plan.objects.count(), Product.objects.count()) == (users, plans, products)
    assert not Plan.objects.filter(active=True, code__startswith="retention-demo-").exists()
    assert not Product.objects.filter(active=True, slug__startswith="retention-demo-").exists()
    assert not Product.objects.filter(active=True, title__startswith="retention-demo-").exists()
    assert not User.objects.filter(is_demo=False, username__startswith="retention-demo-").exists()


def test_seed_demo_leaves_a_real_account_called_demo_alone():
    from django.core.management.base import CommandError

    from accounts.tests.factories import UserFactory

    real = UserFactory(username="demo", email="echt@example.com")
    password = real.password
    with pytest.raises(CommandError, match="did not make"):
        _seed()
    real.refresh_from_db()
    assert (real.email, real.password, real.is_demo) == ("echt@example.com", password, False)


def test_totp_code_prints_the_current_code_of_a_demo_account_and_only_in_development(settings):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from accounts.management.commands.seed_demo import DEMO_STAFF_TOTP_SECRET

    settings.DEBUG = True
    _seed()
    out = io.StringIO()
    call_command("totp_code", "beheer", stdout=out)
    counter = int(time.time()) // 30
    codes = {format_hotp_value(hotp_value(DEMO_STAFF_TOTP_SECRET, c)) for c in (counter - 1, counter, counter + 1)}
    assert out.getvalue().split()[0] in codes
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="development"):
        call_command("totp_code", "beheer", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C01", "C12", "C14", "C21")
def test_the_demo_customer_has_a_life_made_through_the_services_and_the_simulator(live_server, settings):
    """`seed_demo --life`: paid orders with invoices, a renewed subscription, credits partly spent, and more."""
    from billing.models import Invoice
    from contact.models import ContactRequest
    from credits.models import CreditEntry
    from orders.models import Order
    from rights.models import DataExport
    from subscriptions.models import Subscription

    settings.SITE_URL = live_server.url  # where the simulator delivers its webhooks
    settings.MOLLIE_SIM_WEBHOOK_BACKOFF = 0
    output = _seed("--life")
    demo = User.objects.get(username="demo")
    assert "could not" not in output
    assert Order.objects.filter(user=demo, status=Order.Status.COMPLETED).count() >= 4
    assert Order.objects.filter(user=demo, status=Order.Status.CREATED).count() == 1
    subscription = Subscription.objects.get(user=demo)
    assert subscription.status == Subscription.Status.ACTIVE
    invoices = Invoice.objects.filter(user=demo).count()
    assert invoices == 6  # three paid orders, the subscription's first payment and two renewals
    entries = list(CreditEntry.objects.filter(user=demo).values_list("delta", flat=True))
    assert sorted(entries) == [-12, 50]
    assert ContactRequest.objects.filter(user=demo, answered_at__isnull=False).exists()
    assert DataExport.objects.get(user=demo).status == DataExport.Status.READY

    counts = (Order.objects.count(), Invoice.objects.count(), CreditEntry.objects.count(), User.objects.count())
    _seed("--life")
    assert (Order.objects.count(), Invoice.objects.count(), CreditEntry.objects.count(), User.objects.count()) == counts
