"""Issue 20 in Chromium, in Dutch, at a phone's size and a laptop's: a plan for a new domain becomes a package
with that domain; after cancelling, both pages say until when it runs; an add-on bought for the package shows.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Browser, expect

from accounts.tests.factories import UserFactory
from hosting.models import Service
from orders.demo import seed as seed_catalogue
from orders.models import Order, Product
from orders.services import Item, order_place
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment
from payments.tests.fixtures import mollie_live  # noqa: F401 (the fixture)
from subscriptions.demo import seed_plans
from subscriptions.models import Subscription
from subscriptions.selectors import subscription_ends_on

SIZES = [{"width": 390, "height": 844}, {"width": 1366, "height": 768}]


class _Out:
    def write(self, *args, **kwargs) -> None:
        pass


def _addon_paid_for(package: Service, user) -> str:
    """An add-on bought for ``package`` in the app: a real order line with ``target_ref``, then paid."""
    seed_catalogue(customer=None, staff=None, stdout=_Out(), options={})
    product = Product.objects.filter(kind=Product.Kind.ADDON, active=True).order_by("pk").first()
    order = order_place(user=user, items=[Item(product, target_ref=f"service:{package.pk}")], kind=Order.Kind.IN_APP)
    assert order.lines.get().target_ref == f"service:{package.pk}"
    payment_move(payment_for(order), Payment.Status.PAID)
    return order.lines.get().description


@pytest.mark.browser
@pytest.mark.clause("C14", "C06")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("mollie_live")
@pytest.mark.parametrize("size", SIZES)
def test_a_plan_for_a_new_domain_runs_until_its_paid_period_ends_and_shows_its_add_ons(
    browser: Browser, live_server, size
):
    seed_plans()
    user = UserFactory(language="nl")
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=size)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()

    page.goto(live_server.url + "/abonnementen/")
    page.click("#subscribe-webcare-monthly")
    page.fill("#id_domain", "bezet.nl")
    page.click("#subscribe-pay")
    expect(page.locator("main")).to_contain_text("bezet.nl is al bezet. Kies een andere domeinnaam.")
    page.check("input[name=target][value=new]")
    page.fill("#id_domain", "mijnnieuwesite.nl")
    page.click("#subscribe-pay")
    expect(page.locator("#sim-status")).to_have_text("open")
    page.check("input[name=status][value=paid]")
    page.click("#sim-continue")
    expect(page.locator("#subscription-status")).to_have_text("Actief")

    package = Service.objects.get(source=f"subscription:{Subscription.objects.get().pk}")
    page.goto(live_server.url + "/diensten/")
    page.get_by_role("link", name="Hostingpakket").first.click()
    expect(page.locator("h1")).to_have_text("Hostingpakket mijnnieuwesite.nl")

    page.goto(live_server.url + Subscription.objects.get().get_absolute_url())
    page.click("text=Abonnement opzeggen")
    page.click("#cancel-confirm")
    expect(page.locator("#subscription-status")).to_have_text("Opgezegd")
    with translation.override("nl"):
        runs_until = f"loopt tot {date_format(subscription_ends_on(Subscription.objects.get()), 'j F Y')}"
    expect(page.locator("#subscription-ends-on")).to_contain_text(runs_until)

    title = _addon_paid_for(package, user)
    page.goto(live_server.url + package.get_absolute_url())
    expect(page.locator("#service-state")).to_have_text("Actief")
    expect(page.locator("#service-ends-on")).to_contain_text(runs_until)
    expect(page.locator("#addon-list")).to_contain_text(title)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()
