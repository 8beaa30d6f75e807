"""Subscribing, recurring payments and cancelling, through the real pages and the simulator over HTTP."""

import datetime
from decimal import Decimal

import pytest
import requests
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from hosting.models import Service
from mollie_sim.models import SimMandate, SimSubscription, SimWebhookCall
from payments.models import Payment
from portal.models import Activity
from subscriptions.demo import seed_plans
from subscriptions.models import Plan, Subscription

pytestmark = pytest.mark.django_db(transaction=True)


def _pay_on_the_simulator(checkout_url: str, status: str = "paid") -> requests.Response:
    """The payer's browser on the simulator's checkout page: pick a status, continue."""
    session = requests.Session()
    assert session.get(checkout_url, timeout=10).status_code == 200
    return session.post(
        checkout_url,
        data={"status": status, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": checkout_url},
        allow_redirects=False,
        timeout=60,
    )


def _subscribe(client, code: str = "webcare-monthly", domain: str = "mijnsite.nl") -> tuple[Subscription, str]:
    seed_plans()
    response = client.post(f"/abonnementen/nieuw/{code}/", {"target": "new", "domain": domain})
    assert response.status_code == 302, response.content[:500]
    return Subscription.objects.get(), response["Location"]


@pytest.mark.clause("C14", "C03")
def test_subscribe_pay_recurring_payments_fail_and_cancel_over_real_http(mollie_live, client, settings):
    user = UserFactory(language="en", first_name="Ann", last_name="Smith")
    client.force_login(user)
    subscription, checkout_url = _subscribe(client)
    assert checkout_url.startswith(mollie_live.url + "/mollie-sim/checkout/tr_")
    assert subscription.status == "pending" and subscription.mollie_customer_id.startswith("cst_")
    assert subscription.billing_name == "Ann Smith" and subscription.billing_email == user.email
    first = Payment.objects.get()
    assert (first.kind, first.sequence_type, first.object_id) == ("subscription_first", "first", subscription.pk)

    back = _pay_on_the_simulator(checkout_url)
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/betalingen/terug/{first.uuid}/")

    subscription.refresh_from_db()
    first.refresh_from_db()
    today = timezone.localdate()
    assert first.status == "paid" and first.mandate_id.startswith("mdt_")
    assert subscription.status == "active" and subscription.paid_until == today + relativedelta(months=1)
    assert subscription.mollie_subscription_id.startswith("sub_")
    remote = SimSubscription.objects.get(sim_id=subscription.mollie_subscription_id)
    assert (remote.amount, remote.interval) == (Decimal("24.20"), "1 month")
    assert remote.start_date == subscription.paid_until
    assert SimMandate.objects.get().sim_id == subscription.mandate_id
    assert [m.subject for m in mail.outbox] == ["Your subscription Webcare monthly has started"]

    # the customer's return after the webhook changes nothing
    assert client.get(back.headers["Location"].replace(mollie_live.url, "")).status_code == 302
    assert Payment.objects.filter(status="paid").count() == 1 and len(mail.outbox) == 1

    call_command("mollie_sim_charge", subscription.mollie_subscription_id)
    subscription.refresh_from_db()
    recurring = Payment.objects.get(kind="subscription_recurring")
    assert recurring.status == "paid" and recurring.object_id == subscription.pk and recurring.user == user
    assert recurring.mollie_subscription_id == subscription.mollie_subscription_id
    assert subscription.paid_until == today + relativedelta(months=2)

    call_command("mollie_sim_charge", subscription.mollie_subscription_id, status="failed")
    subscription.refresh_from_db()
    assert subscription.status == "past_due" and subscription.paid_until == today + relativedelta(months=2)
    hosting = Service.objects.get(source=f"subscription:{subscription.pk}")
    assert hosting.state == Service.State.SUSPENDED  # the service follows the payment (hosting/receivers.py)
    assert mail.outbox[-1].subject == "Payment for Webcare monthly failed" and mail.outbox[-1].to == [user.email]

    # the webhook of that failed payment delivered again: nothing changes, no second email
    failed = Payment.objects.get(status="failed")
    assert requests.post(mollie_live.url + "/betalingen/webhook/", data={"id": failed.mollie_id}, timeout=20).ok
    assert len(mail.outbox) == 3  # started, the renewal's invoice (billing), payment failed
    renewal_invoice = mail.outbox[1]
    assert renewal_invoice.subject.startswith("Your Netrex invoice")
    assert renewal_invoice.attachments[0][2] == "application/pdf"

    call_command("mollie_sim_charge", subscription.mollie_subscription_id)
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.paid_until == today + relativedelta(months=3)
    hosting.refresh_from_db()
    assert hosting.state == Service.State.ACTIVE  # paid again after past due: the service is reactivated

    response = client.post(f"/abonnementen/{subscription.pk}/opzeggen/")
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == "cancelled" and subscription.cancelled_at
    assert SimSubscription.objects.get(sim_id=subscription.mollie_subscription_id).status == "canceled"
    assert mail.outbox[-1].subject == "Your subscription Webcare monthly has been cancelled" and len(mail.outbox) == 5
    assert not Payment.objects.filter(completed_at__isnull=True).exists()
    actions = set(Activity.objects.filter(user=user).values_list("action", flat=True))
    assert {
        "subscription_requested",
        "subscription_activated",
        "subscription_renewed",
        "subscription_payment_failed",
        "subscription_cancelled",
        "payment_started",
    } <= actions
    assert SimWebhookCall.objects.filter(status_code=200).count() == SimWebhookCall.objects.count() == 4


@pytest.mark.clause("C14")
def test_a_failed_first_payment_never_starts_the_subscription(mollie_live, client):
    user = UserFactory()
    client.force_login(user)
    subscription, checkout_url = _subscribe(client)
    assert _pay_on_the_simulator(checkout_url, "failed").status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == "ended" and subscription.cancelled_at and not subscription.mollie_subscription_id
    assert Payment.objects.get().status == "failed" and not mail.outbox


@pytest.mark.clause("C14")
def test_emails_go_out_in_the_customers_language(mollie_live, client):
    user = UserFactory(language="nl")
    client.force_login(user)
    _subscription, checkout_url = _subscribe(client)
    _pay_on_the_simulator(checkout_url)
    assert [m.subject for m in mail.outbox] == ["Je abonnement Webcare maandelijks is gestart"]


@pytest.mark.clause("C14")
def test_mollie_down_when_subscribing_gives_a_clear_message_and_records_nothing(mollie_live, client, settings):
    settings.MOLLIE_SIM_FORCE_STATUS = 503
    user = UserFactory(language="en")
    client.force_login(user)
    seed_plans()
    response = client.post("/en/subscriptions/new/webcare-yearly/", {"target": "new", "domain": "x.nl"}, follow=True)
    assert b"Our payment provider cannot be reached" in response.content
    assert not Subscription.objects.exists() and not Payment.objects.exists()
    assert not Activity.objects.filter(action="subscription_requested").exists()


@pytest.mark.clause("C14")
def test_cancel_fails_cleanly_when_mollie_is_down(mollie_live, client, settings):
    user = UserFactory()
    client.force_login(user)
    subscription, checkout_url = _subscribe(client)
    _pay_on_the_simulator(checkout_url)
    settings.MOLLIE_SIM_FORCE_STATUS = 500
    response = client.post(f"/abonnementen/{subscription.pk}/opzeggen/", follow=True)
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.cancelled_at is None
    assert not Activity.objects.filter(action="subscription_cancelled").exists()


def test_yearly_plan_runs_a_year(mollie_live, client):
    client.force_login(UserFactory())
    subscription, checkout_url = _subscribe(client, "webcare-yearly")
    _pay_on_the_simulator(checkout_url)
    subscription.refresh_from_db()
    assert subscription.paid_until == timezone.localdate() + relativedelta(years=1)
    assert SimSubscription.objects.get().interval == "12 months"
    assert Plan.objects.get(code="webcare-yearly").vat == Decimal("42.00")
    assert isinstance(subscription.paid_until, datetime.date)


@pytest.mark.clause("C14")
def test_refunding_a_plan_payment_tells_finance_the_plan_runs_on(mollie_live, client):
    """A refund ends no plan (only a cancellation stops Mollie's charges): finance reads so, with the date."""
    from django.utils import translation

    from payments import handlers
    from payments import services as payment_services

    user = UserFactory(language="en")
    client.force_login(user)
    subscription, checkout_url = _subscribe(client)
    _pay_on_the_simulator(checkout_url)
    subscription.refresh_from_db()
    call_command("mollie_sim_charge", subscription.mollie_subscription_id)
    subscription.refresh_from_db()
    recurring = Payment.objects.get(kind="subscription_recurring", status="paid")
    with translation.override("nl"):
        (effect,) = handlers.refund_effects(recurring, recurring.amount)
    paid_until = subscription.paid_until
    assert effect.warning
    assert effect.text.startswith("Deze terugbetaling zegt abonnement “Webcare maandelijks” niet op")
    assert f"{paid_until.day} " in effect.text and str(paid_until.year) in effect.text
    payment_services.refund_create(payment=recurring, amount=None, staff_user=None)
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.paid_until == paid_until  # as the page said
    client.post(f"/abonnementen/{subscription.pk}/opzeggen/")
    first = Payment.objects.get(kind="subscription_first")
    assert handlers.refund_effects(first, first.amount) == []  # cancelled: nothing more to say
