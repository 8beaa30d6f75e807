from payments.tests.fixtures import mollie_client, mollie_live  # noqa: F401
