"""The cookie banner on the server side: what is rendered for which choice, and the stored proof (C29–C35)."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from consent import cookies
from consent.context_processors import cookie_choice
from consent.csp import with_tool_hosts
from consent.models import CookieConsent

pytestmark = pytest.mark.django_db

GA_SCRIPT = "https://www.googletagmanager.com/gtag/js?id=G-TEST123"


@pytest.fixture
def tools_configured(settings):
    settings.MATOMO_URL = "https://stats.netrex.test"
    settings.MATOMO_SITE_ID = "3"
    settings.SALESFEED_ID = "sf-42"
    settings.SALESFEED_SCRIPT_URL = "https://tracker.salesfeed.test/sf.js"
    settings.GOOGLE_ANALYTICS_ID = "G-TEST123"
    settings.CONTENT_SECURITY_POLICY = with_tool_hosts(
        django_settings.CONTENT_SECURITY_POLICY,
        matomo_url=settings.MATOMO_URL,
        salesfeed_script_url=settings.SALESFEED_SCRIPT_URL,
        google_analytics_id=settings.GOOGLE_ANALYTICS_ID,
    )
    return settings


def _choose(client, action, tools=(), next_url="/privacy/"):
    return client.post(reverse("consent:cookies"), {"action": action, "tools": list(tools), "next": next_url})


@pytest.mark.clause("C09", "C30", "C32", "C33", "C34")
def test_before_a_choice_only_matomo_runs_and_the_banner_is_open(client, tools_configured):
    html = client.get("/privacy/").content.decode()
    assert 'id="cookie-banner"' in html
    assert 'id="cookie-banner" aria-labelledby="cookie-banner-title" hidden' not in html
    assert "consent/matomo.js" in html
    assert 'data-visitor-timeout="1209600"' in html and 'data-referral-timeout="1800"' in html
    assert "googletagmanager" not in html.split("</head>")[0]
    assert "consent/ga.js" not in html
    assert "consent/salesfeed.js" not in html


@pytest.mark.clause("C31", "C34", "C35")
def test_accept_all_loads_every_tool_and_refuse_all_loads_none(client, tools_configured):
    response = _choose(client, "accept_all")
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    response = client.get("/privacy/")
    html = response.content.decode()
    assert GA_SCRIPT in html and "consent/ga.js" in html and "consent/salesfeed.js" in html
    assert 'data-src="https://tracker.salesfeed.test/sf.js"' in html and 'data-session-timeout="1800"' in html
    policy = response["Content-Security-Policy"]
    assert "https://www.googletagmanager.com" in policy and "https://tracker.salesfeed.test" in policy
    assert "hidden" in html.split('id="cookie-banner"')[1].split(">")[0]

    client.cookies["_ga"] = "GA1.1.123"
    client.cookies["_ga_TEST123"] = "GS1.1"
    response = _choose(client, "refuse_all")
    assert response.cookies["_ga"]["max-age"] == 0
    assert response.cookies["_ga_TEST123"]["max-age"] == 0
    html = client.get("/privacy/").content.decode()
    for tag in ("googletagmanager", "consent/ga.js", "consent/salesfeed.js", "consent/matomo.js"):
        assert tag not in html
    assert client.get(reverse("accounts:dashboard")).status_code in (200, 302)


@pytest.mark.clause("C29", "C34")
def test_every_choice_is_stored_with_an_anonymous_id_and_versions_but_no_ip(client, tools_configured):
    _choose(client, "save", tools=["google_analytics", "unknown"])
    _choose(client, "refuse_all")
    first, second = CookieConsent.objects.order_by("id")
    assert first.visitor == second.visitor
    assert first.tools == ["google_analytics"] and second.tools == []
    assert first.statement_version == 1 and first.banner_version == cookies.BANNER_VERSION
    request = RequestFactory().get("/")
    request.COOKIES[cookies.CHOICE_COOKIE] = client.cookies[cookies.CHOICE_COOKIE].value
    assert cookie_choice(request) == {
        "id": str(first.visitor),
        "tools": [],
        "v": cookies.BANNER_VERSION,
        "m": "refuse_all",
    }
    assert (first.method, second.method) == ("banner_save", "banner_reject")
    assert second.refused == sorted(tool.key for tool in cookies.configured_tools())
    field_names = {field.name for field in CookieConsent._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user_agent"}


def test_a_forged_choice_cookie_is_ignored(client, tools_configured):
    client.cookies[cookies.CHOICE_COOKIE] = f"{uuid.uuid4()}~google_analytics~{cookies.BANNER_VERSION}"
    html = client.get("/privacy/").content.decode()
    assert "googletagmanager" not in html
    assert 'id="cookie-banner" aria-labelledby="cookie-banner-title" hidden' not in html


@pytest.mark.clause("C30")
def test_a_tool_that_is_not_configured_is_not_rendered_and_not_in_the_policy(client, settings):
    settings.MATOMO_URL = settings.MATOMO_SITE_ID = settings.SALESFEED_ID = settings.GOOGLE_ANALYTICS_ID = ""
    _choose(client, "accept_all")
    response = client.get("/privacy/")
    html = response.content.decode()
    for tag in ("googletagmanager", "consent/ga.js", "consent/matomo.js", "consent/salesfeed.js", 'id="cookie-banner"'):
        assert tag not in html
    assert "googletagmanager" not in response["Content-Security-Policy"]


def test_the_policy_names_a_tools_hosts_only_when_it_is_configured():
    base = {"DIRECTIVES": {"script-src": ["'self'"], "connect-src": ["'self'"]}}
    assert with_tool_hosts(base) == base
    policy = with_tool_hosts(base, matomo_url="https://stats.netrex.nl/matomo/", google_analytics_id="G-1")
    assert "https://stats.netrex.nl" in policy["DIRECTIVES"]["script-src"]
    assert "https://www.googletagmanager.com" in policy["DIRECTIVES"]["script-src"]
    assert base["DIRECTIVES"]["script-src"] == ["'self'"]


@pytest.mark.clause("C35")
def test_the_cookie_settings_page_works_without_javascript_and_rejects_nonsense(client, tools_configured):
    page = client.get(reverse("consent:cookies"))
    assert page.status_code == 200
    assert 'name="action" value="refuse_all"' in page.content.decode()
    response = client.post(reverse("consent:cookies"), {"action": "hack"}, follow=True)
    assert "Die keuze begrepen we niet" in response.content.decode()
    assert not CookieConsent.objects.exists()
    response = _choose(client, "refuse_all", next_url="https://evil.example/")
    assert response["Location"] == reverse("consent:cookies")
