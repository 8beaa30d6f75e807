"""Issue 20 in Chromium, in Dutch, at a phone's size and a laptop's: a cart that keeps, add-ons bought for a package.

A visitor fills the cart, logs in and finds it still there; changes a quantity; logs out and in again and
it is still there; then buys an add-on (with credits) for their hosting package, and the order says for which.
"""

import io

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.factories import UserFactory
from credits.services import credits_grant
from hosting import services as hosting_services
from hosting.models import Service
from orders.demo import seed as seed_catalogue
from orders.models import CartLine, Order, Product
from tests.browser.helpers import log_in

SIZES = [
    pytest.param({"width": 390, "height": 844}, id="phone"),
    pytest.param({"width": 1366, "height": 768}, id="desktop"),
]


def _log_out(page: Page) -> None:
    page.locator("header form button", has_text="Afmelden").first.click()


@pytest.mark.browser
@pytest.mark.clause("C01", "C12")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_cart_survives_log_in_and_log_out_and_an_add_on_is_bought_for_the_package(
    browser: Browser, live_server, size
):
    seed_catalogue(customer=None, staff=None, stdout=io.StringIO(), options={})
    user = UserFactory(username="winkelaar", language="nl")
    hosting_services.service_create(user=user, kind=Service.Kind.HOSTING, domain="winkelaar.nl", source="test:cart")
    credits_grant(user=user, amount=20, reason="test", idempotency_key="browser-cart")
    base = live_server.url
    context = browser.new_context(viewport=size)
    page = context.new_page()

    # A visitor puts two YubiKeys in the cart.
    page.goto(f"{base}/bestellingen/winkel/")
    product = page.locator("#product-yubikey-5-nfc")
    product.locator("input[name=quantity]").fill("2")
    product.get_by_role("button", name="In winkelwagen").click()
    expect(page.locator("h1")).to_have_text("Winkelwagen")
    expect(page.locator("#cart-lines")).to_contain_text("YubiKey 5 NFC")

    # Logging in keeps it.
    log_in(page, base, "winkelaar")
    page.goto(f"{base}/bestellingen/winkelwagen/")
    line = CartLine.objects.get(cart__user=user)
    quantity = page.locator(f"#quantity-{line.pk}")
    expect(quantity).to_have_value("2")

    # The quantity changes on the cart page; a bad one gets a Dutch message.
    quantity.fill("3")
    page.locator(f"#cart-line-{line.pk}").get_by_role("button", name="Wijzigen").click()
    expect(page.locator(".messages")).to_contain_text("Het aantal is gewijzigd.")
    expect(page.locator(f"#quantity-{line.pk}")).to_have_value("3")

    # Out and in again: still there.
    _log_out(page)
    log_in(page, base, "winkelaar")
    page.goto(f"{base}/bestellingen/winkelwagen/")
    expect(page.locator(f"#quantity-{line.pk}")).to_have_value("3")
    expect(page.locator("#checkout-link")).to_have_text("Afrekenen")

    # An add-on, for the customer's hosting package, paid with credits.
    addon = Product.objects.get(slug="addon-mailbox")
    page.goto(f"{base}/bestellingen/uitbreidingen/{addon.pk}/kopen/")
    expect(page.locator("#addon-target")).to_contain_text("winkelaar.nl")
    page.locator("#addon-credits").click()
    expect(page.locator("main")).to_contain_text("Extra mailbox 10 GB voor winkelaar.nl")
    order = Order.objects.get(user=user)
    assert order.lines.get().target_ref == f"service:{Service.objects.get(user=user).pk}"
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    context.close()
