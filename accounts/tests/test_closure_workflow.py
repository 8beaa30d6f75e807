"""Closure is a workflow (C24, C08, C14): what runs for the account is ended before anything is erased.

Through the real closure page, the Mollie simulator over HTTP and the provisioning adapter: the
subscription is cancelled at Mollie (its seven-year clock starts), every service is ended at the
control panel, and only then is the account erased.  When Mollie or the control panel cannot be
reached, nothing is erased and the customer is told in Dutch.
"""

import contextlib

import pytest
import requests
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from hosting import services as hosting_services
from hosting.models import Change, Service
from hosting.provisioning import RecordingAdapter
from mollie_sim.models import SimCustomer, SimSubscription
from rights.tests.conftest import reauthenticate
from subscriptions.demo import seed_plans
from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)

APPLIED: list[tuple[str, str]] = []


class SpyAdapter(RecordingAdapter):
    """A control panel that records what it was asked to do, so the test sees it after the rows are gone."""

    def apply(self, change):
        APPLIED.append((change.kind, change.service.source))
        return {"kind": change.kind}

    def backups(self, service):
        return []


class RefusingAdapter(SpyAdapter):
    def apply(self, change):
        from hosting.provisioning import ProvisioningError

        raise ProvisioningError("refused")


def _active_subscription(client, mollie_live, user) -> Subscription:
    seed_plans()
    response = client.post("/abonnementen/nieuw/webcare-monthly/", {"target": "new", "domain": "afsluiten.nl"})
    assert response.status_code == 302
    session = requests.Session()
    checkout = response["Location"]
    assert session.get(checkout, timeout=10).status_code == 200
    session.post(
        checkout,
        data={"status": "paid", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": checkout},
        allow_redirects=False,
        timeout=60,
    )
    subscription = Subscription.objects.get(user=user)
    assert subscription.status == "active" and subscription.mollie_subscription_id
    # Mollie keeps its own records in its own database; the simulator shares ours, so its customer is
    # moved out of this customer's reach to keep the check of what Mollie was told possible afterwards.
    SimCustomer.objects.filter(sim_id=subscription.mollie_customer_id).update(email="mollie-side@example.invalid")
    return subscription


@contextlib.contextmanager
def _transactions_at_closing():
    """Whether each ``account_closing`` (Mollie and the control panel are called then) ran inside a transaction."""
    from django.db import connection

    from accounts.closure import account_closing

    in_transaction: list[bool] = []

    def spy(sender, **kwargs):
        in_transaction.append(connection.in_atomic_block)

    account_closing.connect(spy)
    try:
        yield in_transaction
    finally:
        account_closing.disconnect(spy)


def _close(client):
    return client.post(reverse("accounts:account_close"), {"confirm": "on"}, follow=True)


@pytest.fixture
def customer_with_a_running_life(mollie_live, client, settings):
    settings.PROVISIONING_ADAPTER = "accounts.tests.test_closure_workflow.SpyAdapter"
    APPLIED.clear()
    user = UserFactory(first_name="Cor", last_name="Sluiter")
    client.force_login(user)
    subscription = _active_subscription(client, mollie_live, user)
    hosting_services.service_create(user=user, kind=Service.Kind.DOMAIN, domain="sluiter.nl", source="test:domain")
    reauthenticate(client, user)
    APPLIED.clear()
    return user, subscription


@pytest.mark.clause("C24", "C08", "C14")
def test_closure_cancels_the_subscription_at_mollie_ends_every_service_and_starts_the_clock(
    client, customer_with_a_running_life
):
    user, subscription = customer_with_a_running_life
    sources = set(Service.objects.filter(user=user).values_list("source", flat=True))
    assert len(sources) == 2  # the package of the subscription and the domain

    page = client.get(reverse("accounts:account_close")).content.decode()
    assert "opgezegd bij onze betaaldienst, er wordt niets meer afgeschreven" in page  # what the page says happens
    assert "beëindigd in ons controlepaneel" in page

    response = _close(client)

    assert response.redirect_chain[-1][0] == reverse("accounts:account_closed")
    assert not User.objects.filter(pk=user.pk).exists()
    assert SimSubscription.objects.get(sim_id=subscription.mollie_subscription_id).status == "canceled"
    subscription.refresh_from_db()
    assert subscription.status == "cancelled" and subscription.cancelled_at is not None  # the seven-year clock
    assert subscription.user_id is None  # detached, the fiscal snapshot kept
    assert {source for kind, source in APPLIED if kind == Change.Kind.SERVICE_END} == sources
    assert not Service.objects.filter(source__in=sources).exists()
    # one mail: closure's own confirmation, not "you keep what you paid for until …" of a plain cancellation
    assert [m.subject for m in mail.outbox if "cancelled" in m.subject.lower() or "opgezegd" in m.subject] == []


@pytest.mark.clause("C24")
def test_when_mollie_cannot_be_reached_nothing_is_closed_and_the_customer_is_told(
    client, customer_with_a_running_life, settings
):
    user, subscription = customer_with_a_running_life
    settings.MOLLIE_API_ENDPOINT = "http://127.0.0.1:9/v2"
    response = _close(client)
    assert "niet opzeggen bij onze betaalprovider" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.user_id == user.pk
    assert Service.objects.filter(user=user).exclude(state=Service.State.ENDED).count() == 2


@pytest.mark.clause("C24")
def test_when_the_control_panel_refuses_nothing_is_erased(client, customer_with_a_running_life, settings):
    user, _subscription = customer_with_a_running_life
    settings.PROVISIONING_ADAPTER = "accounts.tests.test_closure_workflow.RefusingAdapter"
    response = _close(client)
    assert "controlepaneel" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert Service.objects.filter(user=user).count() == 2


@pytest.mark.clause("C24", "C14")
def test_the_closure_page_calls_mollie_and_the_control_panel_outside_any_transaction(
    client, customer_with_a_running_life
):
    """Inside a transaction a later rollback would undo our record of a cancellation Mollie already made."""
    user, subscription = customer_with_a_running_life
    with _transactions_at_closing() as in_transaction:
        response = _close(client)

    assert response.redirect_chain[-1][0] == reverse("accounts:account_closed")
    assert in_transaction == [False]
    assert not User.objects.filter(pk=user.pk).exists()
    assert SimSubscription.objects.get(sim_id=subscription.mollie_subscription_id).status == "canceled"


def _erasure_request(user):
    """An erasure request sent without logging in, for the account holder's verified address."""
    from django.test import Client

    from rights import services as rights_services
    from rights.models import RightsRequest

    token = rights_services.request_confirmation_token(kind="erasure", email=user.email, language="nl")
    Client().post(reverse("rights:request_confirm", kwargs={"token": token}), {"confirm": "1"})
    request = RightsRequest.objects.get(kind="erasure", email__iexact=user.email)
    assert request.user_id == user.pk
    return request


def _complete_in_the_admin(request):
    """The privacy officer completes the request on its admin page, as a person would: the page's own fields."""
    import re

    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.test import Client

    from portal.roles import PRIVACY_OFFICER

    officer = UserFactory(username="erasure-officer", is_staff=True, language="nl")
    officer.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    admin = Client()
    admin.force_login(officer)
    url = reverse("admin:rights_rightsrequest_change", args=[request.pk])
    page = admin.get(url).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken", None)
    return admin.post(url, {**hidden, "action": "complete", "note": "Gewist op verzoek"}, follow=True)


@pytest.mark.clause("C24", "C40")
def test_an_erasure_completed_in_the_admin_closes_the_account_outside_any_transaction(customer_with_a_running_life):
    user, subscription = customer_with_a_running_life
    request = _erasure_request(user)
    with _transactions_at_closing() as in_transaction:
        response = _complete_in_the_admin(request)

    assert response.status_code == 200
    assert "Het account is opgeheven en het verzoek is afgehandeld" in response.content.decode()
    assert in_transaction == [False]
    assert not User.objects.filter(pk=user.pk).exists()
    assert SimSubscription.objects.get(sim_id=subscription.mollie_subscription_id).status == "canceled"
    request.refresh_from_db()
    assert request.status == "completed" and request.user_id is None
    assert list(request.events.values_list("kind", flat=True).order_by("pk"))[-2:] == ["completed", "erased"]


@pytest.mark.clause("C24", "C40")
def test_an_erasure_the_control_panel_refuses_leaves_the_request_open_and_says_why(
    customer_with_a_running_life, settings
):
    user, _subscription = customer_with_a_running_life
    request = _erasure_request(user)
    settings.PROVISIONING_ADAPTER = "accounts.tests.test_closure_workflow.RefusingAdapter"

    response = _complete_in_the_admin(request)

    assert "controlepaneel" in response.content.decode()
    assert "is gewijzigd" not in response.content.decode()  # no "changed successfully" beside the refusal
    assert User.objects.filter(pk=user.pk).exists()
    request.refresh_from_db()
    assert request.is_open and request.user_id == user.pk
