from accounts.tests.conftest import customer, customer_client  # noqa: F401
from payments.tests.fixtures import mollie_client, mollie_live  # noqa: F401
