"""The demo data command: idempotent, with a staff member who has MFA, and fast bulk customers."""

import io
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from portal.roles import ROLES

pytestmark = pytest.mark.django_db


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_a_customer_and_staff_with_totp_and_is_idempotent(client):
    output = _seed()
    assert "demo / Netrex-demo-2026!" in output
    assert "beheer / Netrex-beheer-2026!" in output
    _seed()
    assert User.objects.filter(username__in=["demo", "beheer"]).count() == 2
    staff = User.objects.get(username="beheer")
    assert staff.is_staff
    assert set(staff.groups.values_list("name", flat=True)) == set(ROLES)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count() == 1
    assert EmailAddress.objects.filter(user__username="demo", verified=True).count() == 1
    response = client.post("/account/login/", {"login": "demo", "password": "Netrex-demo-2026!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_seed_demo_bulk_creates_many_customers_quickly():
    _seed()
    with CaptureQueriesContext(connection) as plain:
        _seed()
    started = time.monotonic()
    with CaptureQueriesContext(connection) as bulk:
        output = _seed("--customers", "500")
    assert time.monotonic() - started < 15
    # Bulk inserts: 500 customers cost a handful of queries on top of a plain run (the other apps'
    # demo hooks included), not one or more per customer.
    assert len(bulk) - len(plain) < 30
    assert "500 bulk customers" in output
    assert User.objects.filter(username__startswith="klant").count() == 500
    assert EmailAddress.objects.filter(user__username__startswith="klant", verified=True).count() == 500
    _seed("--customers", "10")
    assert User.objects.filter(username__startswith="klant").count() == 510
