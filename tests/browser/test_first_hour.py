"""Issue 17 in Chromium at a phone's size (390×844) and a laptop's (1366×768).

The newcomer's walk (sign up, confirm, log in, profile, orders, privacy page, English and back to
Dutch), no page that scrolls sideways and no text under 14 px on any customer page, the privacy
statement at most twice as tall on a phone as on a desktop, and axe-core without serious or critical
violations on the main pages.  axe-core 4.14.1 comes from the npm registry (``npm pack axe-core``) and
is vendored in ``tests/browser/vendor/`` (MPL-2.0, licence beside it); it is evaluated in the page
through the DevTools protocol, which the pages' CSP does not block, so no CDN and no inline script.
"""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from tests.signup import fill_personal

PASSWORD = "Browser-Test-Wachtwoord-1"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# Every customer page without an object in its address, and the detail pages of the demo's objects.
CUSTOMER_PAGES = (
    "accounts:dashboard",
    "accounts:profile",
    "accounts:activity",
    "orders:list",
    "orders:catalogue",
    "orders:cart",
    "orders:addons",
    "billing:list",
    "credits:overview",
    "services:list",
    "subscriptions:list",
    "consent:statement",
    "consent:consents",
    "consent:cookies",
    "rights:my_data",
    "rights:rights",
    "rights:request_new",
    "newsletter:preferences",
    "contact:form",
    "contact:mine",
    "stats:profile",
    "account_email",
)


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


DEMO_LOGIN = ("demo", "Netrex-demo-2026!")  # published in the README


def _log_in(page: Page, base: str, username: str = DEMO_LOGIN[0], password: str = DEMO_LOGIN[1]) -> None:
    page.goto(f"{base}/account/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Welkom")


def _urls() -> list[str]:
    from hosting.models import Service

    with translation.override("nl"):
        urls = []
        for name in CUSTOMER_PAGES:
            urls.append(reverse(name))
        for service in Service.objects.filter(user__username="demo"):
            urls.append(reverse("services:detail", args=[service.pk]))
        return urls


def _open(page: Page) -> None:
    """Show every part of the page a visitor can open (the phone's menu), so that it is measured too."""
    toggle = page.locator("#menu-toggle")
    if toggle.is_visible():
        toggle.click()


MEASURE = """() => {
  const root = document.documentElement;
  const small = [];
  for (const element of document.querySelectorAll('body *')) {
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden' || !element.getClientRects().length) continue;
    const text = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (text && parseFloat(style.fontSize) < 14) {
      small.push(`${element.tagName} ${style.fontSize} ${element.textContent.trim().slice(0, 40)}`);
    }
  }
  return {overflow: root.scrollWidth - root.clientWidth, height: root.scrollHeight, small};
}"""


@pytest.mark.browser
@pytest.mark.clause("C23", "C25", "C06")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_newcomers_walk_in_dutch_to_english_and_back(browser: Browser, live_server, size):
    _seed()
    context = browser.new_context(viewport=size)
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/account/signup/")
    expect(page.locator("h1")).to_have_text("Registreren")
    page.fill("#id_username", "sanne")
    page.fill("#id_email", "sanne@example.nl")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    fill_personal(page)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("e-mailadres")
    links = [re.search(r"https?://\S+/account/confirm-email/\S+", message.body) for message in mail.outbox]
    link = next(match.group(0) for match in links if match)
    page.goto(base + link[link.index("/account/") :])
    page.locator("main form button[type=submit]").first.click()
    page.locator("header form button", has_text="Afmelden").click()
    _log_in(page, base, "sanne", PASSWORD)

    # The menu: six entries, behind a button on a phone; the current one is marked.
    toggle = page.locator("#menu-toggle")
    if size is PHONE:
        expect(page.locator("#main-nav")).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    else:
        expect(toggle).to_be_hidden()
    menu = page.locator("#main-nav > ul > li > a")
    expect(menu).to_have_count(6)
    expect(page.locator('#main-nav a[aria-current="page"]')).to_have_text("Overzicht")
    page.locator("#main-nav a", has_text="Account").click()
    assert page.url == f"{base}/profiel/"
    expect(page.locator("#main-nav a[aria-current]")).to_have_text("Account")

    page.fill("#id_first_name", "Sanne")
    page.fill("#id_birth_date_0", "27")
    page.fill("#id_birth_date_1", "3")
    page.fill("#id_birth_date_2", "1985")
    page.locator("main form.card button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("Je gegevens zijn opgeslagen.")
    assert str(User.objects.get(username="sanne").birth_date) == "1985-03-27"

    page.goto(f"{base}/bestellingen/")
    expect(page.locator("h1")).to_be_visible()
    page.goto(f"{base}/privacy/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{base}/en/privacy/"
    page.goto(f"{base}/en/profile/")
    expect(page.locator("h1")).to_have_text("My details")
    page.locator("header button[name=language][value=nl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert page.url == f"{base}/profiel/"  # the Dutch version of the same page, not the English one
    context.close()


@pytest.mark.browser
@pytest.mark.clause("C23")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_no_customer_page_scrolls_sideways_or_has_text_under_14_px(browser: Browser, live_server, size):
    _seed()
    context = browser.new_context(viewport=size)
    page = context.new_page()
    _log_in(page, live_server.url)
    problems = []
    for url in _urls():
        response = page.goto(live_server.url + url)
        assert response is not None and response.status < 400, url
        _open(page)
        measured = page.evaluate(MEASURE)
        if measured["overflow"] > 0:
            problems.append(f"{url}: {measured['overflow']} px wider than the screen")
        if measured["small"]:
            problems.append(f"{url}: text under 14 px: {measured['small'][:3]}")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.clause("C23")
@pytest.mark.django_db(transaction=True)
def test_the_privacy_statement_is_at_most_twice_as_tall_on_a_phone(browser: Browser, live_server):
    heights = {}
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        page.goto(f"{live_server.url}/privacy/")
        heights[name] = page.evaluate("document.documentElement.scrollHeight")
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        context.close()
    assert heights["phone"] <= 2 * heights["desktop"], heights


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_main_pages_have_no_serious_or_critical_axe_violations(browser: Browser, live_server, size):
    _seed()
    source = AXE.read_text(encoding="utf-8")
    context = browser.new_context(viewport=size)
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login/")
    pages = ["/account/login/", "/account/signup/", "/privacy/"]
    _log_in(page, live_server.url)
    pages += ["/", "/profiel/", "/bestellingen/", "/bestellingen/winkel/", "/mijn-gegevens/", "/diensten/", "/en/"]
    problems = []
    for url in pages:
        page.goto(live_server.url + url)
        page.evaluate(source)  # through the DevTools protocol: the page's CSP allows no inline script
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{url}: {violation['id']} ({violation['impact']}) {targets}")
    context.close()
    assert not problems, "\n".join(problems)
