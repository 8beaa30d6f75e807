"""In Chromium: buy hosting, pay on the Mollie simulator, then add a DNS record and a mail forwarder and
see both applied by the provisioning adapter."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from hosting.models import Change, Service
from orders.tests.conftest import _Out
from payments.tests.fixtures import mollie_live  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C06", "C07")
def test_customer_buys_hosting_and_manages_dns_and_mail_forwarding(page, mollie_live):  # noqa: F811
    from orders.demo import seed

    seed(customer=None, staff=None, stdout=_Out(), options={})
    customer = UserFactory(street="Oostdam 2", postal_code="3441 EM", town="Woerden")
    base = mollie_live.url

    page.goto(f"{base}/en/account/login/")
    page.fill("input[name=login]", customer.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/en/$"))

    page.goto(f"{base}/en/orders/shop/")
    product = page.locator("#product-hosting-start")
    product.locator("input[name=domain]").fill("mijnwinkel.nl")
    product.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/orders/cart/$"))
    page.locator("#checkout-link").click()
    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r".*/mollie-sim/checkout/.*"))
    page.locator("input[name=status][value=paid]").check()
    page.locator("#sim-continue").click()
    page.wait_for_url(re.compile(r".*/orders/\d+/$"))

    service = Service.objects.get(user=customer)
    assert (service.kind, service.domain) == ("hosting", "mijnwinkel.nl")
    page.locator("#nav-services").click()
    page.get_by_role("link", name="Hosting package").click()
    expect(page.locator("#service-state")).to_have_text("Active")

    page.fill("#id_dns-name", "www")
    page.select_option("#id_dns-rtype", "A")
    page.fill("#id_dns-value", "198.51.100.20")
    page.locator("#dns button[type=submit]").click()
    row = page.locator("#dns-records tr", has_text="www.mijnwinkel.nl")
    expect(row).to_contain_text("198.51.100.20")
    expect(row).to_contain_text("Applied")

    page.fill("#id_fwd-local_part", "info")
    page.select_option("#id_fwd-domain", "mijnwinkel.nl")
    page.fill("#id_fwd-destination", "eigenaar@example.com")
    page.locator("#forwarders button[type=submit]").click()
    item = page.locator("#forwarder-list li", has_text="info@mijnwinkel.nl")
    expect(item).to_contain_text("eigenaar@example.com")
    expect(item).to_contain_text("Applied")

    assert set(service.changes.values_list("status", flat=True)) == {Change.Status.APPLIED}
    page.get_by_role("link", name="Activity log of this service").click()
    expect(page.locator("table")).to_contain_text("DNS A www.mijnwinkel.nl → 198.51.100.20")
    expect(page.locator("table")).to_contain_text("info@mijnwinkel.nl → eigenaar@example.com")
