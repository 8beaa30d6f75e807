import pytest

from accounts.tests.factories import UserFactory
from consent import services as consent_services
from newsletter.tests.conftest import _clear_cache, customer_client, staff, staff_client  # noqa: F401


@pytest.fixture
def customer(db):
    """A customer who opted in to profiling at sign-up: without that record nothing is profiled (issue 16)."""
    user = UserFactory()
    consent_services.consent_set(user=user, purpose_id="P3", given=True, method="signup", run_effects=False)
    return user
