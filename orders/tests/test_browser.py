"""In Chromium: choose a product, check out, pay on the Mollie simulator's checkout, see the paid order and invoice."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from billing.models import Invoice
from orders.models import Order
from orders.tests.conftest import _Out
from payments.tests.fixtures import mollie_live  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C01", "C03")
def test_customer_buys_pays_on_the_simulator_and_sees_order_and_invoice(page, mollie_live):  # noqa: F811
    from orders.demo import seed

    seed(customer=None, staff=None, stdout=_Out(), options={})
    customer = UserFactory(street="Oostdam 2", postal_code="3441 EM", town="Woerden")
    base = mollie_live.url

    page.goto(f"{base}/account/login/")
    page.fill("input[name=login]", customer.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/$"))

    page.goto(f"{base}/bestellingen/winkel/")  # Dutch addresses on Dutch pages
    page.locator("#product-hosting-start button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/bestellingen/winkelwagen/$"))
    page.locator("#checkout-link").click()
    page.locator("#pay-button").click()

    page.wait_for_url(re.compile(r".*/mollie-sim/checkout/.*"))
    page.locator("input[name=status][value=paid]").check()
    page.locator("#sim-continue").click()

    order = Order.objects.get(user=customer)
    page.wait_for_url(re.compile(rf".*/bestellingen/{order.pk}/$"))
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    invoice = Invoice.objects.get(owner_kind="order", object_id=order.pk)
    with translation.override("nl"):  # the portal's default language
        expect(page.locator("#order-status")).to_have_text(str(order.get_status_display()))
    page.locator(".invoice-link").first.click()
    expect(page.locator("#document-title")).to_contain_text(invoice.number)
    expect(page.locator(".document-to")).to_contain_text("Oostdam 2")
