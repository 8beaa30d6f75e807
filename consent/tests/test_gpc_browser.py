"""Issue 16 in Chromium: the first page loads no Google Analytics or SalesFeed; accept and refuse weigh the same;
Global Privacy Control is honoured and recorded; withdrawal removes every cookie of the tools by its real name."""

import re

import pytest
from playwright.sync_api import Page, Route, expect

from consent.models import CookieConsent

pytest_plugins = ["consent.tests.test_banner_browser"]

SALESFEED = re.compile(r"https://salesfeed\.example/")


@pytest.fixture
def tools(settings, google_requests, page: Page):
    """Matomo, SalesFeed and Google Analytics configured; SalesFeed's and Matomo's hosts answered empty."""
    settings.SALESFEED_ID = "SF-FAKE"
    settings.SALESFEED_SCRIPT_URL = "https://salesfeed.example/sf.js"
    settings.MATOMO_URL = "https://matomo.example/"
    settings.MATOMO_SITE_ID = "1"
    seen: list[str] = []

    def record(route: Route) -> None:
        seen.append(route.request.url)
        route.fulfill(status=200, body="", content_type="application/javascript")

    page.route(SALESFEED, record)
    page.route(re.compile(r"https://matomo\.example/"), lambda route: route.fulfill(status=200, body=""))
    return {"google": google_requests, "salesfeed": seen}


@pytest.mark.browser
@pytest.mark.clause("C29", "C31", "C33", "C34", "C35")
@pytest.mark.django_db(transaction=True)
def test_first_page_loads_no_tracker_needing_consent_and_refuse_weighs_as_much_as_accept(
    page: Page, live_server, tools
):
    page.goto(f"{live_server.url}/privacy/")
    page.wait_for_load_state("networkidle")
    assert tools["google"] == [] and tools["salesfeed"] == []
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert not {n for n in names if n.startswith("_ga") or n == "_gid" or n == "sf_session"}
    accept, refuse = page.locator("#cookies-accept-all"), page.locator("#cookies-refuse-all")
    expect(accept).to_be_visible()
    expect(refuse).to_be_visible()
    a, r = accept.bounding_box(), refuse.bounding_box()
    assert abs(a["width"] - r["width"]) < 1 and abs(a["height"] - r["height"]) < 1
    style = "el => [getComputedStyle(el).fontWeight, getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
    assert accept.evaluate(style) == refuse.evaluate(style)
    for key in ("google_analytics", "salesfeed"):
        expect(page.locator(f"#cookie-tool-{key}")).not_to_be_checked()


@pytest.mark.browser
@pytest.mark.clause("C34", "C35")
@pytest.mark.django_db(transaction=True)
def test_global_privacy_control_is_recorded_as_a_refusal_and_a_later_opt_in_wins(page: Page, live_server, tools):
    page.context.set_extra_http_headers({"Sec-GPC": "1"})
    page.add_init_script("Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})")
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("response", lambda response: messages.append(f"{response.request.method} {response.url} {response.status}"))
    page.goto(f"{live_server.url}/privacy/")
    expect(page.locator("#cookie-gpc")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => true")
    for _ in range(50):
        if CookieConsent.objects.exists():
            break
        page.wait_for_timeout(100)
    assert CookieConsent.objects.exists(), [m for m in messages if not m.startswith("GET")]
    choice = CookieConsent.objects.get()
    assert choice.method == "gpc" and "google_analytics" not in choice.tools and "salesfeed" not in choice.tools
    page.goto(f"{live_server.url}/privacy/")
    page.wait_for_load_state("networkidle")
    assert tools["google"] == [] and tools["salesfeed"] == []
    assert CookieConsent.objects.count() == 1  # recorded once, not on every page

    page.click("#cookie-settings-link")
    page.click("#cookies-accept-all")
    page.wait_for_load_state("networkidle")
    assert CookieConsent.objects.latest("id").method == "banner_accept"
    assert any("googletagmanager" in url for url in tools["google"])


@pytest.mark.browser
@pytest.mark.clause("C30", "C32", "C35")
@pytest.mark.django_db(transaction=True)
def test_withdrawal_removes_every_cookie_of_the_tools_by_their_real_names(page: Page, live_server, tools):
    page.goto(f"{live_server.url}/privacy/")
    page.click("#cookies-accept-all")
    page.wait_for_load_state("networkidle")
    host = live_server.url.split("://", 1)[1].split(":")[0]
    names = ["_ga", "_ga_ABC123", "_gid", "_pk_id.1.a1b2", "_pk_ses.1.a1b2", "_pk_ref.1.a1b2", "sf_session"]
    page.context.add_cookies(
        [{"name": n, "value": "x", "domain": host, "path": path} for n in names for path in ("/", "/privacy/")]
    )
    page.click("#cookie-settings-link")
    page.click("#cookies-refuse-all")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/privacy/")
    page.wait_for_load_state("networkidle")
    left = [c["name"] for c in page.context.cookies() if c["name"] in names]
    assert left == []
