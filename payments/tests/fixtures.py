"""Fixtures shared by the payments, simulator and subscriptions tests."""

import pytest
from mollie.api.client import Client


@pytest.fixture
def mollie_live(live_server, settings):
    """The portal and its Mollie simulator served over real HTTP; the real client pointed at it."""
    settings.SITE_URL = live_server.url
    settings.MOLLIE_API_ENDPOINT = live_server.url + "/mollie-sim"
    settings.MOLLIE_API_KEY = "test_simulator"
    settings.MOLLIE_CONNECT_RETRIES = 0
    settings.MOLLIE_SIM_WEBHOOK_BACKOFF = 0
    return live_server


@pytest.fixture
def mollie_client(mollie_live) -> Client:
    client = Client(api_endpoint=mollie_live.url + "/mollie-sim", retry=0)
    client.set_api_key("test_simulator")
    return client
