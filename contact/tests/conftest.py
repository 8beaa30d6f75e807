from newsletter.tests.conftest import _clear_cache, customer, customer_client, staff, staff_client  # noqa: F401
