"""Sign-up cannot be used to list the usernames of the portal cheaply (C36).

A username is unique, so whoever picks a taken one must be told so: sign-up inherently reveals that a
username exists (email addresses are protected by allauth's ACCOUNT_PREVENT_ENUMERATION; usernames
cannot be).  What keeps that from becoming a list is the rate limit: a few tries a minute and twenty
an hour per client IP address, counted behind the reverse proxies as the client's own address.
"""

import json
import os
import subprocess
import sys

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from tests.signup import PERSONAL
from tests.test_deploy import ROOT

pytestmark = pytest.mark.clause("C36")
PASSWORD = "Een-lang-genoeg-wachtwoord-2026"


def _signup(client: Client, username: str, n: int, **extra):
    data = {
        "username": username,
        "email": f"nieuw{n}@example.nl",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **PERSONAL,
    }
    return client.post(reverse("account_signup"), data, **extra)


def test_signup_is_limited_per_ip_per_minute_and_per_hour():
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["signup"])
    assert rates and all(rate.per == "ip" for rate in rates)
    assert min(rate.amount for rate in rates if rate.duration <= 60) <= 5
    assert min(rate.amount for rate in rates if rate.duration >= 3600) <= 20


@pytest.mark.django_db
def test_probing_usernames_at_sign_up_is_stopped_after_five_tries_from_one_address():
    taken = UserFactory(username="bestaand")
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(5):
        response = _signup(attacker, taken.username, n)
        assert response.status_code == 200  # the form again, with its errors
    response = _signup(attacker, taken.username, 5)
    assert response.status_code == 429
    assert taken.username not in response.content.decode()

    neighbour = Client(REMOTE_ADDR="198.51.100.8")
    response = _signup(neighbour, "nieuwe-klant", 6)
    assert response.status_code == 302  # another address signs up as usual


def test_behind_proxies_the_limits_count_the_clients_address():
    script = "import json, django; django.setup(); from django.conf import settings as s; "
    script += "print(json.dumps([s.NUM_PROXIES, s.ALLAUTH_TRUSTED_PROXY_COUNT]))"
    env = os.environ | {"DJANGO_NUM_PROXIES": "2", "DJANGO_SETTINGS_MODULE": "netrex.test_settings"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [2, 2]
