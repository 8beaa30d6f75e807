"""The cookie banner in Chromium: no Google Analytics request before opt-in, one after, none after withdrawal,
and a site that keeps working with everything refused (C29–C35)."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from accounts.tests.factories import PASSWORD, UserFactory
from consent.csp import with_tool_hosts
from consent.models import StatementVersion

GOOGLE = re.compile(r"https://[^/]*(googletagmanager\.com|google-analytics\.com|analytics\.google\.com)/")


@pytest.fixture
def google_requests(page: Page, settings):
    """Google Analytics configured with a fake id; every request to Google's hosts recorded and answered empty."""
    settings.GOOGLE_ANALYTICS_ID = "G-FAKE0001"
    settings.CONTENT_SECURITY_POLICY = with_tool_hosts(
        django_settings.CONTENT_SECURITY_POLICY, google_analytics_id="G-FAKE0001"
    )
    # A transactional test before this one may have flushed the first version the migration wrote.
    StatementVersion.objects.get_or_create(
        number=1,
        defaults={"date": datetime.date(2018, 5, 24), "published_at": timezone.now() - datetime.timedelta(days=1)},
    )
    seen: list[str] = []

    def record(route: Route) -> None:
        seen.append(route.request.url)
        route.fulfill(status=200, body="", content_type="application/javascript")

    page.route(GOOGLE, record)
    return seen


@pytest.mark.browser
@pytest.mark.clause("C29", "C30", "C34", "C35")
@pytest.mark.django_db(transaction=True)
def test_google_analytics_only_after_opt_in_and_gone_after_withdrawal(page: Page, live_server, google_requests):
    page.goto(f"{live_server.url}/privacy/")
    banner = page.locator("#cookie-banner")
    expect(banner).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert google_requests == []

    page.click("#cookies-accept-all")
    expect(banner).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert any("googletagmanager.com/gtag/js?id=G-FAKE0001" in url for url in google_requests)

    page.click("#cookie-settings-link")  # reopens the banner in place
    expect(banner).to_be_visible()
    expect(page.locator("#cookie-tool-google_analytics")).to_be_checked()
    page.uncheck("#cookie-tool-google_analytics")
    page.click("#cookies-save")
    expect(banner).to_be_hidden()
    google_requests.clear()
    page.goto(f"{live_server.url}/en/privacy/")
    page.wait_for_load_state("networkidle")
    assert google_requests == []
    assert page.locator("script[src*='googletagmanager']").count() == 0


@pytest.mark.browser
@pytest.mark.clause("C35")
@pytest.mark.django_db(transaction=True)
def test_site_works_with_everything_refused(page: Page, live_server, google_requests):
    UserFactory(username="weigeraar")
    page.goto(f"{live_server.url}/account/login/")
    page.click("#cookies-refuse-all")
    expect(page.locator("#cookie-banner")).to_be_hidden()
    page.fill("#id_login", "weigeraar")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Welkom")
    page.get_by_role("link", name="Mijn privacy").first.click()
    expect(page.locator("h1")).to_have_text("Mijn toestemmingen")
    # No record is no consent (issue 16): the newsletter switch starts off, one click gives consent.
    expect(page.locator("#consent-p7 button[role=switch]")).to_have_attribute("aria-checked", "false")
    page.locator("#consent-p7 button[role=switch]").click()
    expect(page.locator(".messages")).to_contain_text("gegeven")
    expect(page.locator("#consent-p7 button[role=switch]")).to_have_attribute("aria-checked", "true")
    page.goto(f"{live_server.url}/privacy/")
    expect(page.locator("#statement-date")).to_have_text("24 mei 2018")
    assert google_requests == []
