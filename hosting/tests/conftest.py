import tempfile

import pytest
from django.utils import translation
from hypothesis.configuration import set_hypothesis_home_dir

from accounts.tests.factories import UserFactory
from hosting import domains, services
from hosting.models import Backup, Service

# Hypothesis caches Unicode tables on disk: keep them out of the working tree.
set_hypothesis_home_dir(tempfile.gettempdir() + "/netrex-hypothesis")


@pytest.fixture(autouse=True)
def _language():
    """Each test starts in Dutch, whatever language an earlier request left active in this thread."""
    with translation.override("nl"):
        yield


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def other(db):
    return UserFactory()


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def make_service(django_capture_on_commit_callbacks):
    """Create a service as a paid order line would, run its set-up change, return it fresh."""
    counter = iter(range(1, 10_000))

    def make(user, *, kind=Service.Kind.HOSTING, domain="example.nl", source=None):
        with django_capture_on_commit_callbacks(execute=True):
            service, _ = services.service_create(
                user=user, kind=kind, domain=domain, source=source or f"test:{next(counter)}"
            )
        service.refresh_from_db()
        return service

    return make


@pytest.fixture
def hosting(customer, make_service):
    return make_service(customer)


@pytest.fixture
def backup(hosting):
    from django.utils import timezone

    return Backup.objects.create(service=hosting, reference="example.nl-20260101", taken_at=timezone.now())


@pytest.fixture
def prove(settings):
    """Publish, in the test settings' static DNS, the TXT record that proves ``domain`` is ``user``'s."""
    settings.DOMAIN_VERIFY_STATIC_TXT = {}

    def publish(user, domain):
        proof = domains.proof_for(user_id=user.pk, domain=domain)
        records = settings.DOMAIN_VERIFY_STATIC_TXT
        settings.DOMAIN_VERIFY_STATIC_TXT = {**records, proof.name: [*records.get(proof.name, []), proof.value]}
        return proof

    return publish


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a block queues after commit (the Celery tasks run eagerly in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
