"""Support staff in the admin: find a customer's services, change their state with a reason."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.tests.factories import UserFactory
from hosting import domains
from hosting.activity import Action as ActivityAction
from hosting.models import Change, Service
from portal.models import Activity
from portal.roles import SUPPORT

# The management forms of the service page's read-only inlines (add-ons, DNS records).
FORMSETS = {
    "addons-TOTAL_FORMS": "0",
    "addons-INITIAL_FORMS": "0",
    "dns_records-TOTAL_FORMS": "0",
    "dns_records-INITIAL_FORMS": "0",
}


@pytest.fixture
def support_client(client, db):
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=SUPPORT))
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    client.staff = staff
    return client


def test_support_finds_a_customers_services_by_email(support_client, hosting, other, make_service):
    make_service(other, domain="ander.nl")
    response = support_client.get(reverse("admin:services_service_changelist"), {"q": hosting.user.email})
    assert response.status_code == 200
    html = response.content.decode()
    assert "example.nl" in html and "ander.nl" not in html
    page = support_client.get(reverse("admin:services_service_change", args=[hosting.pk])).content.decode()
    assert hosting.get_absolute_url() in page


@pytest.mark.clause("C07")
@pytest.mark.parametrize(
    ("action", "state", "logged"),
    [
        ("suspend_selected", Service.State.SUSPENDED, ActivityAction.SERVICE_SUSPENDED),
        ("end_selected", Service.State.ENDED, ActivityAction.SERVICE_ENDED),
    ],
)
def test_state_actions_ask_for_a_reason_and_log_the_staff_member(
    support_client, hosting, on_commit, action, state, logged
):
    url = reverse("admin:services_service_changelist")
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [hosting.pk]}
    response = support_client.post(url, data)
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()
    hosting.refresh_from_db()
    assert hosting.state == Service.State.ACTIVE  # nothing happens before the reason is given

    assert support_client.post(url, {**data, "apply": "1", "reason": ""}).status_code == 200
    with on_commit():
        response = support_client.post(url, {**data, "apply": "1", "reason": "Abuse report #12"})
    assert response.status_code == 302
    hosting.refresh_from_db()
    assert hosting.state == state and hosting.state_reason == "Abuse report #12"
    entry = Activity.objects.filter(user=hosting.user).first()
    assert entry.action == logged and entry.actor == support_client.staff
    assert entry.detail["summary"] == "Abuse report #12"


def test_reactivate_from_the_admin(support_client, hosting, on_commit):
    url = reverse("admin:services_service_changelist")
    base = {helpers.ACTION_CHECKBOX_NAME: [hosting.pk], "apply": "1", "reason": "Paid at the desk"}
    support_client.post(url, {**base, "action": "suspend_selected"})
    support_client.post(url, {**base, "action": "reactivate_selected"})
    hosting.refresh_from_db()
    assert hosting.state == Service.State.ACTIVE


def test_setting_the_domain_in_the_admin_goes_through_the_service(support_client, customer, make_service, prove):
    service = make_service(customer, domain="")
    prove(customer, "nieuw.nl")
    url = reverse("admin:services_service_change", args=[service.pk])
    response = support_client.post(url, {"domain": "nieuw.nl", "_save": "1", **FORMSETS})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.domain == "nieuw.nl"
    assert service.changes.filter(kind=Change.Kind.DOMAIN_SET).exists()
    assert (
        Activity.objects.filter(user=customer, action=ActivityAction.DOMAIN_CHANGED).get().actor == support_client.staff
    )


@pytest.mark.clause("C36")
def test_a_domain_support_sets_must_be_the_customers_for_its_certificate(support_client, customer, make_service, prove):
    service = make_service(customer, domain="")
    url = reverse("admin:services_service_change", args=[service.pk])
    data = {"domain": "google.com", "_save": "1", **FORMSETS}
    html = support_client.post(url, data, follow=True).content.decode()
    service.refresh_from_db()
    assert service.domain == "" and not service.changes.filter(kind=Change.Kind.DOMAIN_SET).exists()
    proof = domains.proof_for(user_id=customer.pk, domain="google.com")
    assert "Google.com is niet een van je domeinen." in html  # the admin capitalises its messages
    assert proof.name in html and proof.value in html
    prove(customer, "google.com")
    support_client.post(url, data)
    service.refresh_from_db()
    assert service.domain == "google.com"
