"""Login brute force and password spraying hit allauth's rate limits (C36).

``ACCOUNT_RATE_LIMITS["login_failed"] = "10/m/ip,5/5m/key"``: five wrong passwords for one account
lock that account's login for five minutes whatever the address; ten failures from one address, on
any accounts, lock that address.  After the limit even the right password is refused, so guessing
cannot go on; another address and another account are not affected.
"""

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db]
ATTACKER = "203.0.113.66"


def _login(client, login: str, password: str, ip: str = ATTACKER):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_brute_force_on_one_account_is_stopped_after_five_failures(client):
    victim = UserFactory(username="slachtoffer")
    for attempt in range(5):
        response = _login(client, "slachtoffer", f"raden-{attempt}")
        assert response.status_code == 200 and not _logged_in(response)
    blocked = _login(client, "slachtoffer", PASSWORD)  # the right password, too late
    assert not _logged_in(blocked)
    assert blocked.status_code in (200, 429)
    assert not client.session.get("_auth_user_id")
    # The same account from another address is still locked (the key is the account, not the IP).
    assert not _logged_in(_login(client, "slachtoffer", PASSWORD, ip="198.51.100.9"))
    # Another customer is not affected.
    UserFactory(username="buurman")
    assert _logged_in(_login(client.__class__(), "buurman", PASSWORD, ip="198.51.100.9"))
    assert victim.pk


def test_password_spraying_from_one_address_is_stopped_after_ten_failures(client):
    users = [UserFactory(username=f"klant{n:02d}") for n in range(12)]
    for user in users[:10]:
        response = _login(client, user.username, "Zomer2026!")  # one common password, many accounts
        assert not _logged_in(response)
    blocked = _login(client, users[11].username, PASSWORD)
    assert not _logged_in(blocked), "the address went on guessing after ten failures"
    assert blocked.status_code in (200, 429)
    # The same customer from their own address logs in normally.
    assert _logged_in(_login(client.__class__(), users[11].username, PASSWORD, ip="192.0.2.44"))


def test_the_rate_limits_are_on(settings):
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login_failed"] == "10/m/ip,5/5m/key"
    assert limits["login"] and limits["signup"] and limits["reset_password"]
