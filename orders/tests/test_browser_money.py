"""In Chromium (issue 15): paying in two tabs, paying twice, retrying a failed payment, and finance refunding."""

import re
import time
from decimal import Decimal

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from mollie_sim.models import SimPayment, SimRefund
from orders.models import Order, Product
from orders.tests.conftest import _Out
from payments import services as payments
from payments.models import Payment, Refund
from payments.tests.fixtures import mollie_live  # noqa: F401
from portal.roles import FINANCE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url(name: str, *args) -> str:
    """A page's address as the Dutch customer has it."""
    with translation.override("nl"):
        return reverse(name, args=args)


def _completed() -> str:
    with translation.override("nl"):
        return str(Order.Status.COMPLETED.label)


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}{_url('account_login')}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _order_to_checkout(page, base: str) -> None:
    """Shop, cart, checkout: the customer ends on the simulator's checkout of the order's payment."""
    page.goto(base + _url("orders:catalogue"))
    page.locator("#product-hosting-start button[type=submit]").click()
    page.wait_for_url(re.compile(".*" + _url("orders:cart") + "$"))
    page.locator("#checkout-link").click()
    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r".*/mollie-sim/checkout/.*"))


def _choose(page, status: str) -> None:
    page.locator(f"input[name=status][value={status}]").check()
    page.locator("#sim-continue").click()


@pytest.fixture
def shop(db):
    from orders.demo import seed

    seed(customer=None, staff=None, stdout=_Out(), options={})
    return UserFactory(street="Oostdam 2", postal_code="3441 EM", town="Woerden", language="nl")


@pytest.mark.clause("C01")
def test_paying_in_two_tabs_leaves_one_payable_payment_and_the_order_paid_once(
    page,
    mollie_live,  # noqa: F811
    shop,
):
    base = mollie_live.url
    _log_in(page, base, shop.username)
    _order_to_checkout(page, base)
    first_checkout = page.url
    order = Order.objects.get(user=shop)

    second = page.context.new_page()  # the customer opens the order again in a second tab and pays there
    second.goto(base + _url("orders:detail", order.pk))
    second.locator("#pay-button").click()
    second.wait_for_url(re.compile(r".*/mollie-sim/checkout/.*"))
    assert second.url != first_checkout

    page.reload()  # the first tab's checkout was cancelled at Mollie when the second was started
    expect(page.locator("#sim-status")).to_have_text("canceled")
    _choose(second, "paid")
    second.wait_for_url(re.compile(".*" + _url("orders:detail", order.pk) + "$"))
    expect(second.locator("#order-status")).to_have_text(_completed())
    payments_of_order = Payment.objects.filter(kind="order", object_id=order.pk)
    assert sorted(payments_of_order.values_list("status", flat=True)) == ["canceled", "paid"]
    assert not Refund.objects.exists()


@pytest.mark.clause("C01")
def test_an_order_paid_twice_keeps_one_payment_and_refunds_the_other(
    page,
    mollie_live,  # noqa: F811
    shop,
    monkeypatch,
):
    base = mollie_live.url
    _log_in(page, base, shop.username)
    _order_to_checkout(page, base)
    order = Order.objects.get(user=shop)
    # Mollie will not cancel these checkouts (the payer is already at the bank): both can be paid.
    monkeypatch.setattr("mollie_sim.services.payment_is_cancelable", lambda payment: False)
    stray = payments.payment_start(
        user=shop, kind="order", object_id=order.pk, amount=order.total, description=f"Netrex order {order.pk}"
    )
    second = page.context.new_page()
    second.goto(stray.checkout_url)
    _choose(page, "paid")
    page.wait_for_url(re.compile(".*" + _url("orders:detail", order.pk) + "$"))
    _choose(second, "paid")  # the late one
    second.wait_for_url(re.compile(".*" + _url("orders:detail", order.pk) + "$"))

    expect(second.locator("#order-status")).to_have_text(_completed())
    expect(second.locator("#order-duplicates")).to_be_visible()
    stray.refresh_from_db()
    assert stray.status == Payment.Status.PAID and stray.duplicate
    refund = Refund.objects.get()
    assert refund.payment == stray and refund.amount == stray.amount
    assert SimPayment.objects.get(sim_id=stray.mollie_id).amount_refunded == stray.amount
    kept = Payment.objects.get(kind="order", object_id=order.pk, duplicate=False)
    assert kept.status == Payment.Status.PAID and not kept.refunds.exists()


@pytest.mark.clause("C05")
def test_a_failed_payment_is_retried_from_the_order_page(
    page,
    mollie_live,  # noqa: F811
    shop,
):
    base = mollie_live.url
    _log_in(page, base, shop.username)
    _order_to_checkout(page, base)
    order = Order.objects.get(user=shop)
    _choose(page, "failed")
    page.wait_for_url(re.compile(".*" + _url("orders:detail", order.pk) + "$"))
    expect(page.locator("#payment-outcome")).to_contain_text("mislukt")
    expect(page.locator("#pay-button")).to_have_text("Opnieuw betalen")
    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r".*/mollie-sim/checkout/.*"))
    _choose(page, "paid")
    page.wait_for_url(re.compile(".*" + _url("orders:detail", order.pk) + "$"))
    expect(page.locator("#order-status")).to_have_text(_completed())
    expect(page.locator("#pay-button")).to_have_count(0)
    assert order.lines.count() == 1  # the same order: nothing to shop again


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.mark.clause("C01")
def test_finance_refunds_part_of_a_payment_in_the_admin_and_the_customer_sees_it(
    page,
    mollie_live,  # noqa: F811
    shop,
):
    from mollie_sim import services as sim
    from orders import services as orders

    order = orders.order_place(user=shop, items=[orders.Item(product=Product.objects.get(slug="hosting-pro"))])
    payment = orders.order_pay(order=order)
    sim.payment_settle(payment=SimPayment.objects.get(sim_id=payment.mollie_id), status="paid")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID

    finance = UserFactory(is_staff=True, language="nl")
    finance.groups.add(Group.objects.get(name=FINANCE))
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(finance, secret)
    base = mollie_live.url
    page.goto(f"{base}{_url('account_login')}?next=/admin/")
    page.fill("input[name=login]", finance.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.fill("input[name=code]", _totp_code(secret))
    page.locator("input[name=code]").press("Enter")  # the page's other button cancels the log-in
    page.wait_for_url(lambda url: "authenticate" not in url)

    page.goto(f"{base}/admin/payments/payment/{payment.pk}/change/")
    assert "/admin/payments/payment/" in page.url, page.url  # in, with the second factor
    page.locator(".refund-link").click()
    page.wait_for_url(re.compile(rf".*/admin/payments/payment/{payment.pk}/refund/$"))
    expect(page.locator("input[name=amount]")).to_have_value(str(payment.amount))  # the remainder by default
    page.fill("input[name=amount]", "5.00")
    page.locator("#refund-next").click()
    expect(page.locator("#refund-confirmation")).to_contain_text("5,00")
    assert not Refund.objects.exists()  # nothing before the confirmation
    page.locator("#refund-confirm").click()
    page.wait_for_url(re.compile(rf".*/admin/payments/payment/{payment.pk}/change/$"))
    refund = Refund.objects.get()
    assert refund.amount == Decimal("5.00") and refund.created_by == finance

    sim.refund_settle(refund=SimRefund.objects.get(sim_id=refund.mollie_id), status="refunded")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED  # read back from Mollie on the payment's webhook

    customer = page.context.browser.new_context().new_page()
    _log_in(customer, base, shop.username)
    customer.goto(base + _url("orders:detail", order.pk))
    expect(customer.locator("#order-status")).to_have_text("Gedeeltelijk terugbetaald")
    expect(customer.locator("#order-refunds")).to_contain_text("5,00")
