"""The consent switches of the privacy page (consent app) reach the newsletter, advertising, profiling and contact."""

import pytest
from django.urls import reverse

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
    assert selectors.preferences_for(user=customer)["advertising"] == {"email": False, "social": False, "phone": False}
    assert ProfilingObjection.objects.filter(user=customer).exists()
    assert list(ContactRequest.objects.values_list("user", flat=True)) == [other.pk]

    for purpose in ("P7", "P10", "P3"):
        consent_services.consent_set(user=customer, purpose_id=purpose, given=True, method="portal")
    assert Subscriber.objects.get().confirmed_at is not None
    assert all(selectors.preferences_for(user=customer)["advertising"].values())
    assert not ProfilingObjection.objects.exists()


@pytest.mark.django_db
@pytest.mark.clause("C19", "C27", "C10", "C39e")
def test_choices_made_through_our_own_routes_show_on_the_privacy_page(customer_client, customer):
    from consent.models import ConsentRecord
    from consent.selectors import consent_given
    from newsletter import tokens

    subscriber = services.newsletter_subscribe_user(user=customer, method="portal")
    assert ConsentRecord.objects.get(purpose="P7").given is True  # no record was "not given": now it is

    services.subscriber_unsubscribe(digest=subscriber.digest, method="link")
    assert consent_given(user=customer, purpose_id="P7") is False
    assert ConsentRecord.objects.filter(purpose="P7").latest("id").method == "link"

    customer_client.post(reverse("stats:objection"), {"choice": "object"})
    assert consent_given(user=customer, purpose_id="P3") is False

    customer_client.post(reverse("newsletter:preferences"), {"advertising_phone": "on"})
    assert consent_given(user=customer, purpose_id="P10") is True  # one channel still open
    customer_client.post(reverse("newsletter:preferences"), {})
    assert consent_given(user=customer, purpose_id="P10") is False

    customer_client.post(reverse("newsletter:preferences"), {"newsletter": "on"})
    assert consent_given(user=customer, purpose_id="P7") is True
    assert Subscriber.objects.get().digest == tokens.email_digest(customer.email)
    assert ConsentRecord.objects.filter(purpose="P7").count() == 3  # no loop between the apps
