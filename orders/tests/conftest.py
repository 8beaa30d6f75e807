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


@pytest.fixture
def package(customer, monkeypatch):
    """The customer's hosting package as ``portal.targets`` lists it; other customers have none.

    The registered sources and checks are replaced for the test, so it does not depend on what the
    hosting app registers: "bezet.nl" is the one domain that is taken.
    """
    from portal import targets

    target = targets.Target(ref="service:4242", kind="hosting", domain="klant-site.nl", label="Hosting klant-site.nl")

    def source(user):
        return [target] if user.pk == customer.pk else []

    def check(domain):
        return "bezet.nl is al bezet." if domain == "bezet.nl" else None

    monkeypatch.setattr(targets, "_sources", [source])
    monkeypatch.setattr(targets, "_domain_checks", [check])
    return target
