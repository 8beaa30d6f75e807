"""In Chromium: take out a subscription, pay on the simulator's checkout, see it active, cancel it."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from subscriptions.demo import seed_plans
from subscriptions.models import Subscription


@pytest.mark.browser
@pytest.mark.clause("C14")
@pytest.mark.django_db(transaction=True)
def test_customer_subscribes_pays_on_the_simulator_and_cancels_in_the_browser(page, mollie_live):
    seed_plans()
    user = UserFactory(language="en")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": mollie_live.url}])

    page.goto(mollie_live.url + "/en/subscriptions/")
    page.click("#subscribe-webcare-monthly")
    page.fill("#id_domain", "annsite.nl")
    page.click("#subscribe-pay")
    expect(page.locator("#sim-status")).to_have_text("open")  # Mollie's test checkout
    page.check("input[name=status][value=paid]")
    page.click("#sim-continue")
    expect(page.locator("#subscription-status")).to_have_text("Active")
    assert Subscription.objects.get().mollie_subscription_id.startswith("sub_")

    page.click("text=Cancel subscription")
    page.click("#cancel-confirm")
    expect(page.locator("#subscription-status")).to_have_text("Cancelled")
    assert Subscription.objects.get().cancelled_at is not None
