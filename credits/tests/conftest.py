from orders.tests.conftest import catalogue, customer, customer_client, other  # noqa: F401
