"""The client's address is the one the trusted proxy saw, whatever X-Forwarded-For the client writes (C36).

In production gunicorn is reached only through Caddy (docker-compose.yml, deploy/Caddyfile), one proxy:
``DJANGO_NUM_PROXIES=1``, which is also allauth's ``ALLAUTH_TRUSTED_PROXY_COUNT`` (netrex/settings.py;
``tests/security/test_signup_enumeration.py`` proves that one variable sets both).  The address of a request
is then the first one from the right of X-Forwarded-For, the one the proxy appended: anything a client puts
before it changes neither the activity log (``portal.client.client_ip``) nor allauth's rate-limit buckets
(``get_adapter().get_client_ip``).  Without proxies (``0``) the header is ignored and the connection's
address counts.  Either way one client's failed logins lock out that client only, not every customer
behind the same proxy.

Caddy itself never passes a client's X-Forwarded-For on (it trusts no incoming one); the forged entries
here are what a client would get through a proxy that appends instead of replacing.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.activity import Action
from accounts.tests.factories import PASSWORD, UserFactory
from portal.client import client_ip
from portal.models import Activity

pytestmark = pytest.mark.clause("C36")

PROXY = "172.18.0.5"  # Caddy's address on the compose network: the REMOTE_ADDR of every proxied request
CLIENT = "198.51.100.7"
NEIGHBOUR = "192.0.2.44"
LOGIN_FAILED_PER_IP = 10  # ACCOUNT_RATE_LIMITS["login_failed"] = "10/m/ip,5/5m/key"


@pytest.fixture
def proxies(settings):
    """Set the number of trusted proxies the way DJANGO_NUM_PROXIES does: for the portal and allauth alike."""

    def behind(count: int) -> None:
        settings.NUM_PROXIES = count
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = count

    return behind


def _login(login: str, password: str, *, remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return Client().post(reverse("account_login"), {"login": login, "password": password}, **headers)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_the_limit_on_failed_logins_per_address_is_the_one_these_tests_reach(settings):
    assert f"{LOGIN_FAILED_PER_IP}/m/ip" in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, CLIENT, None, CLIENT),
        (0, CLIENT, "203.0.113.66", CLIENT),  # no proxy: the header is the client's own words
        (1, PROXY, CLIENT, CLIENT),
        (1, PROXY, f"203.0.113.66, {CLIENT}", CLIENT),  # a forged leading entry
        (1, PROXY, f"203.0.113.66,10.0.0.1 , {CLIENT}", CLIENT),
        (1, PROXY, "2001:db8::7", "2001:db8::7"),
        (1, PROXY, None, PROXY),  # no header at all: the connection's address
        (2, PROXY, f"203.0.113.66, {CLIENT}, 10.0.0.2", CLIENT),  # a CDN in front of Caddy
    ],
)
def test_the_portal_and_allauth_take_the_same_address(proxies, count, remote, forwarded, expected):
    proxies(count)
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    request = RequestFactory().get("/", **headers)
    assert client_ip(request) == expected
    assert get_adapter().get_client_ip(request) == expected


@pytest.mark.django_db
def test_behind_one_proxy_a_forged_leading_entry_changes_neither_the_log_nor_the_rate_limit(proxies):
    proxies(1)
    users = [UserFactory(username=f"proxyklant{n:02d}") for n in range(LOGIN_FAILED_PER_IP + 2)]
    for n, user in enumerate(users[:LOGIN_FAILED_PER_IP]):
        # A fresh forged address on every attempt, on another account each time (password spraying).
        response = _login(user.username, "Zomer2026!", remote=PROXY, forwarded=f"203.0.113.{n + 1}, {CLIENT}")
        assert not _logged_in(response)
        assert get_adapter().get_client_ip(response.wsgi_request) == CLIENT
    logged = Activity.objects.filter(action=Action.LOGIN_FAILED, user__in=users)
    assert sorted(set(logged.values_list("ip_address", flat=True))) == [CLIENT]
    assert logged.count() == LOGIN_FAILED_PER_IP

    # The forged entries did not spread the attempts over buckets: the client is locked, even with the
    # right password and yet another forged address.
    blocked = _login(users[-2].username, PASSWORD, remote=PROXY, forwarded=f"203.0.113.200, {CLIENT}")
    assert not _logged_in(blocked)
    assert blocked.status_code in (200, 429)
    # The bucket is the client's, not the proxy's: another customer behind the same proxy logs in.
    assert _logged_in(_login(users[-1].username, PASSWORD, remote=PROXY, forwarded=NEIGHBOUR))
    neighbour = Activity.objects.get(action=Action.LOGGED_IN, user=users[-1])
    assert neighbour.ip_address == NEIGHBOUR


@pytest.mark.django_db
def test_without_proxies_x_forwarded_for_is_ignored_entirely(proxies):
    proxies(0)
    users = [UserFactory(username=f"directklant{n:02d}") for n in range(LOGIN_FAILED_PER_IP + 2)]
    for n, user in enumerate(users[:LOGIN_FAILED_PER_IP]):
        # Every attempt claims another address; none of them counts.
        response = _login(user.username, "Zomer2026!", remote=CLIENT, forwarded=f"203.0.113.{n + 1}")
        assert not _logged_in(response)
    logged = Activity.objects.filter(action=Action.LOGIN_FAILED, user__in=users)
    assert sorted(set(logged.values_list("ip_address", flat=True))) == [CLIENT]

    blocked = _login(users[-2].username, PASSWORD, remote=CLIENT, forwarded=NEIGHBOUR)
    assert not _logged_in(blocked), "a forwarded address got the client out of its bucket"
    # Claiming the locked client's address does not lock another client out.
    assert _logged_in(_login(users[-1].username, PASSWORD, remote=NEIGHBOUR, forwarded=CLIENT))
    assert Activity.objects.get(action=Action.LOGGED_IN, user=users[-1]).ip_address == NEIGHBOUR
