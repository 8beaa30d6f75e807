import pytest

from accounts.tests.factories import UserFactory
from payments.tests.fixtures import mollie_client, mollie_live  # noqa: F401


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client
