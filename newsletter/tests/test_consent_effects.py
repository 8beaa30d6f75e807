"""The consent switches of the privacy page (consent app) reach the newsletter, advertising, profiling and contact."""

import pytest

from accounts.tests.factories import UserFactory
from contact.models import ContactRequest
from newsletter import selectors, services
from newsletter.models import Subscriber

consent_services = pytest.importorskip("consent.services")


@pytest.mark.django_db
@pytest.mark.clause("C19", "C27", "C10", "C39e", "C39f")
def test_withdrawing_and_giving_consent_switches_what_we_do(customer):
    from stats.models import ProfilingObjection

    services.newsletter_subscribe_user(user=customer, method="portal")
    ContactRequest.objects.create(user=customer, email=customer.email, subject="Vraag", message="x")
    other = UserFactory(username="ander")
    ContactRequest.objects.create(user=other, email=other.email, subject="Vraag", message="x")

    for purpose in ("P7", "P10", "P3", "P6"):
        consent_services.consent_set(user=customer, purpose_id=purpose, given=False, method="portal")

    assert not Subscriber.objects.exists()
    assert selectors.preferences_for(user=customer)["advertising"] == {"email": False, "social": False,
                                                                      "phone": False}
    assert ProfilingObjection.objects.filter(user=customer).exists()
    assert list(ContactRequest.objects.values_list("user", flat=True)) == [other.pk]

    for purpose in ("P7", "P10", "P3"):
        consent_services.consent_set(user=customer, purpose_id=purpose, given=True, method="portal")
    assert Subscriber.objects.get().confirmed_at is not None
    assert all(selectors.preferences_for(user=customer)["advertising"].values())
    assert not ProfilingObjection.objects.exists()
