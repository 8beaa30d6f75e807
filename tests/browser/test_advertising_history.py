"""Issue 20 item 4 in Chromium, in Dutch, at a phone's size and a laptop's: the advertising history per channel.

The customer allowed advertising by phone at sign-up; support recorded, on the phone, an objection to
advertising by e-mail; the customer then objects to phone advertising on the preferences page. The page
shows each channel's changes with the new state, how the change reached us and who made it.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Browser, expect

from accounts.tests.factories import UserFactory
from newsletter.models import ChoiceMethod
from newsletter.services import advertising_choice_set
from portal.roles import SUPPORT
from tests.browser.helpers import log_in, no_sideways_scroll

SIZES = [
    pytest.param({"width": 390, "height": 844}, id="phone"),
    pytest.param({"width": 1366, "height": 768}, id="desktop"),
]


@pytest.mark.browser
@pytest.mark.clause("C27")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_each_channels_changes_show_how_they_reached_us_and_who_made_them(browser: Browser, live_server, size):
    customer = UserFactory(username="reclame-klant", language="nl")
    support = UserFactory(username="reclame-support", is_staff=True)
    support.groups.add(Group.objects.get(name=SUPPORT))
    advertising_choice_set(user=customer, channel="phone", allowed=True, method=ChoiceMethod.SIGNUP)
    advertising_choice_set(user=customer, channel="email", allowed=True, method=ChoiceMethod.SIGNUP)
    advertising_choice_set(user=customer, channel="email", allowed=False, method=ChoiceMethod.PHONE, actor=support)

    page = browser.new_context(viewport=size, locale="nl-NL").new_page()
    log_in(page, live_server.url, customer.username)
    page.goto(live_server.url + reverse("newsletter:preferences"))
    page.locator("#id_advertising_phone").uncheck()
    page.locator("#preferences-form button[type=submit]").click()

    phone = page.locator("#advertising-history-phone")
    expect(phone.locator("h3")).to_contain_text("bezwaar gemaakt")
    expect(phone.locator("tbody tr").first).to_contain_text("Op de voorkeurenpagina")
    expect(phone.locator("tbody tr").first).to_contain_text("Klant")
    email = page.locator("#advertising-history-email")
    expect(email.locator("h3")).to_contain_text("bezwaar gemaakt")
    expect(email.locator("tbody tr").first).to_contain_text("Per telefoon")
    expect(email.locator("tbody tr").first).to_contain_text("Medewerker")
    no_sideways_scroll(page)
