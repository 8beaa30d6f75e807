from orders.tests.conftest import catalogue, customer, customer_client, other, package  # noqa: F401
