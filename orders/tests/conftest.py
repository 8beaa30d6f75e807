import pytest

from accounts.tests.factories import UserFactory
from orders.demo import seed
from orders.models import Product


class _Out:
    def write(self, *args, **kwargs) -> None:
        pass


@pytest.fixture
def catalogue(db):
    seed(customer=None, staff=None, stdout=_Out(), options={})
    return {product.slug: product for product in Product.objects.all()}


@pytest.fixture
def customer(db):
    return UserFactory(
        street="Oostdam 2", postal_code="3441 EM", town="Woerden", phone="+31348433886", gender="female", language="nl"
    )


@pytest.fixture
def other(db):
    return UserFactory()


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client
