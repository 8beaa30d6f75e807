import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from portal.roles import SUPPORT


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def staff(db):
    # A support colleague, not a superuser: day-to-day work is done in a role (superuser use is break-glass).
    user = UserFactory(username="staff-newsletter", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPPORT))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
