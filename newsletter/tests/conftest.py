import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from accounts.tests.factories import UserFactory


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
    user = UserFactory(username="staff-newsletter", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
