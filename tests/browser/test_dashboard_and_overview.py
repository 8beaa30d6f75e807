"""In Chromium, in Dutch, phone and laptop sizes: the dashboard says what is due, support sees a customer whole.

A customer with an order waiting for payment sees it first on the dashboard and pays it from there
(on the Mollie simulator's checkout); support opens the customer's overview in the admin (password
and TOTP code) and follows its link to the customer's orders.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, expect

from accounts.tests.factories import UserFactory, with_totp
from orders.models import Order, Product
from orders.services import Item, order_place
from orders.tests.conftest import _Out
from payments.tests.fixtures import mollie_live  # noqa: F401
from portal.roles import SUPPORT
from tests.browser.helpers import log_in, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # accounts.tests.factories.with_totp


def _url(name: str, *args) -> str:
    with translation.override("nl"):
        return reverse(name, args=args)


def _customer_with_an_open_order():
    from orders.demo import seed as orders_seed

    orders_seed(customer=None, staff=None, stdout=_Out(), options={})
    customer = UserFactory(username="betaler", first_name="Bea")
    order = order_place(user=customer, items=[Item(Product.objects.get(slug="ssl-dv"))])
    return customer, order


@pytest.mark.parametrize("size", SIZES)
def test_the_dashboard_shows_the_open_payment_first_and_its_button_leads_to_payment(
    browser: Browser,
    mollie_live,  # noqa: F811
    size,
):
    base = mollie_live.url
    customer, order = _customer_with_an_open_order()
    page = browser.new_context(viewport=size).new_page()
    log_in(page, base, customer.username, login_path=_url("account_login"))
    attention = page.locator("#attention")
    expect(attention.locator("h2")).to_have_text("Wat aandacht nodig heeft")
    first = page.locator("main .grid > section").first
    expect(first).to_have_attribute("id", "attention")
    expect(attention).to_contain_text("Wacht op betaling")
    expect(attention).to_contain_text(f"Bestelling {order.pk}")
    no_sideways_scroll(page)
    button = page.locator(f"#attention-pay-{order.pk}")
    expect(button).to_have_text("Nu betalen")
    assert button.bounding_box()["width"] <= size["width"]
    button.click()
    page.wait_for_url(re.compile(r".*/mollie-sim/checkout/.*"))
    page.locator("input[name=status][value=paid]").check()
    page.locator("#sim-continue").click()
    page.wait_for_url(lambda url: "/mollie-sim/" not in url)
    order.refresh_from_db()
    assert order.status in (Order.Status.PAID, Order.Status.COMPLETED)
    page.goto(base + _url("accounts:dashboard"))
    expect(page.locator("#attention-ok")).to_contain_text("Alles is in orde")


@pytest.mark.parametrize("size", SIZES)
def test_support_opens_a_customers_overview_and_follows_it_to_their_orders(browser: Browser, live_server, size):
    base = live_server.url
    customer, order = _customer_with_an_open_order()
    UserFactory(username="iemand-anders")
    support = with_totp(UserFactory(username="anna.support", first_name="Anna", is_staff=True))
    support.groups.add(Group.objects.get(name=SUPPORT))
    page = browser.new_context(viewport=size).new_page()
    log_in(page, base, support.username, totp=True, login_path=_url("account_login"))
    page.goto(base + _url("admin:accounts_user_changelist") + f"?q={customer.username}")
    if size == DESKTOP:
        no_sideways_scroll(page)  # the user list, with its new overview column, fits a laptop
    page.locator("td.field-overview_link a").first.click()
    expect(page.locator("h1")).to_contain_text("Klantoverzicht")
    expect(page.locator("#overview-profile")).to_contain_text(customer.username)
    orders = page.locator("#overview-ordersorder")
    expect(orders).to_contain_text(f"#{order.pk}")
    no_sideways_scroll(page)
    orders.locator("a.overview-all").click()
    expect(page.locator("#result_list")).to_contain_text(str(order.pk))
    expect(page.locator("#result_list")).not_to_contain_text("iemand-anders")
    assert f"user__id__exact={customer.pk}" in page.url
    if size == DESKTOP:
        no_sideways_scroll(page)
