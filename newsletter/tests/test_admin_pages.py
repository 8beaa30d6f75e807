"""Every staff screen of the three apps renders (no template errors), within a bounded number of queries."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from contact.models import ContactRequest
from newsletter import services
from newsletter.models import Channel, ChoiceMethod, Newsletter


@pytest.mark.django_db
def test_staff_screens_render(staff, staff_client, django_assert_max_num_queries):
    from django.contrib.auth.models import Group

    from portal.roles import PRIVACY_OFFICER

    staff.groups.add(Group.objects.get(name=PRIVACY_OFFICER))  # profiling objections are the officer's
    customer = UserFactory(username="scherm")
    services.newsletter_subscribe_user(user=customer, method="portal")
    services.advertising_choice_set(
        user=customer, channel=Channel.PHONE, allowed=False, method=ChoiceMethod.PHONE, source="Gebeld"
    )
    newsletter = Newsletter.objects.create(subject_nl="A", subject_en="B", body_nl="C", body_en="D")
    contact_request = ContactRequest.objects.create(email="x@example.nl", subject="Vraag", message="Hallo")
    urls = [
        reverse("admin:newsletter_newsletter_changelist"),
        reverse("admin:newsletter_newsletter_change", args=[newsletter.pk]),
        reverse("admin:newsletter_newsletter_preview", args=[newsletter.pk, "nl"]),
        reverse("admin:newsletter_subscriber_changelist"),
        reverse("admin:newsletter_suppression_changelist"),
        reverse("admin:newsletter_advertisingpreference_changelist"),
        reverse("admin:newsletter_advertisingpreferencechange_changelist"),
        reverse("admin:newsletter_advertisingpreferencechange_add"),
        reverse("admin:contact_contactrequest_changelist"),
        reverse("admin:contact_contactrequest_change", args=[contact_request.pk]),
        reverse("admin:contact_contactrequest_answer", args=[contact_request.pk]),
        reverse("admin:stats_pageview_changelist"),
        reverse("admin:stats_profilingobjection_changelist"),
    ]
    for url in urls:
        with django_assert_max_num_queries(25):
            response = staff_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_public_pages_render_for_visitors(client):
    for name in ("newsletter:subscribe", "contact:form"):
        assert client.get(reverse(name)).status_code == 200
    for name in ("newsletter:preferences", "contact:mine", "stats:profile"):
        assert client.get(reverse(name)).status_code == 302  # to the login page
