"""The public webhook's input: Mollie's id format before anything else, a per-IP limit that never turns a
known payment away, and a payment's effect applied once whatever statuses are replayed (C36)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import UserFactory
from payments import gateway, webhook
from payments.models import Payment
from subscriptions.activity import Action as SubscriptionAction
from subscriptions.demo import seed_plans
from subscriptions.models import Plan, Subscription

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db]

URL = "/betalingen/webhook/"
TRAVERSALS = [
    "tr_/../../customers",
    "tr_../customers",
    "tr_abc/refunds",
    "tr_abc?testmode=true",
    "tr_abc#x",
    "tr_ab%2Fc",
    "tr_",
    "tr_" + "a" * 62,
    "cst_abc",
    "tr_é",
]


class FakeMollie:
    """Stands in for ``gateway.payment_get``: Mollie's view of each payment, and every id it was asked."""

    def __init__(self):
        self.statuses: dict[str, str] = {}
        self.subscription_id = ""
        self.asked: list[str] = []

    def __call__(self, mollie_id: str):
        self.asked.append(mollie_id)
        if mollie_id not in self.statuses:
            return None
        return gateway.RemotePayment(
            id=mollie_id,
            status=self.statuses[mollie_id],
            amount=Decimal("24.20"),
            currency="EUR",
            method="directdebit",
            sequence_type="recurring" if self.subscription_id else "oneoff",
            customer_id="cst_test" if self.subscription_id else "",
            mandate_id="mdt_test" if self.subscription_id else "",
            subscription_id=self.subscription_id,
            description="Test",
            paid_at=None,
            checkout_url="",
        )


@pytest.fixture
def mollie(monkeypatch):
    fake = FakeMollie()
    monkeypatch.setattr(gateway, "payment_get", fake)
    return fake


@pytest.fixture
def no_mollie_client(monkeypatch):
    """Fails the test if anything builds a client to talk to Mollie."""
    built = []

    def client():
        built.append(1)
        raise AssertionError("Mollie was called")

    monkeypatch.setattr(gateway, "_client", client)
    return built


def _post(client, mollie_id: str, ip: str = "192.0.2.1"):
    return client.post(URL, {"id": mollie_id}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("mollie_id", TRAVERSALS)
def test_an_id_not_of_mollies_format_gets_400_and_mollie_is_never_asked(client, mollie, no_mollie_client, mollie_id):
    assert _post(client, mollie_id).status_code == 400
    assert mollie.asked == [] and no_mollie_client == []


def test_a_nul_byte_in_the_id_gets_400_not_a_server_error(client, mollie, no_mollie_client):
    response = client.post(URL, "id=tr_%00", content_type="application/x-www-form-urlencoded", REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 400
    assert mollie.asked == [] and no_mollie_client == []


@pytest.mark.parametrize("mollie_id", ["tr_/../../customers", "tr_\x00", "tr_abc/refunds"])
def test_the_gateway_itself_never_sends_an_id_not_of_mollies_format(no_mollie_client, mollie_id):
    assert gateway.payment_get(mollie_id) is None
    assert no_mollie_client == []


def test_an_unknown_id_of_mollies_format_gets_200_after_asking_mollie(client, mollie):
    assert _post(client, "tr_WDqYK6vllg").status_code == 200
    assert mollie.asked == ["tr_WDqYK6vllg"]
    assert not Payment.objects.exists()


@time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, 30, tzinfo=datetime.UTC), tick=False)
def test_unknown_ids_from_one_ip_get_429_beyond_the_limit_while_a_known_payment_is_always_processed(client, mollie):
    known = Payment.objects.create(
        mollie_id="tr_known1", kind="unclaimed", object_id=1, amount=Decimal("10.00"), description="Test"
    )
    mollie.statuses["tr_known1"] = "paid"
    answers = [_post(client, f"tr_probe{index}").status_code for index in range(webhook.LIMIT + 5)]
    assert answers == [200] * webhook.LIMIT + [429] * 5
    assert len(mollie.asked) == webhook.LIMIT  # beyond the limit Mollie is not asked
    over = _post(client, "tr_/../x")
    assert over.status_code == 429 and over["Retry-After"] == str(webhook.WINDOW)  # malformed posts count too

    assert _post(client, "tr_known1").status_code == 200  # same source, over its limit: processed all the same
    known.refresh_from_db()
    assert known.status == "paid" and mollie.asked[-1] == "tr_known1"
    assert _post(client, "tr_probe0", ip="198.51.100.9").status_code == 200  # another source has its own limit


def _active_subscription() -> Subscription:
    seed_plans()
    plan = Plan.objects.get(code="webcare-monthly")
    return Subscription.objects.create(
        user=UserFactory(),
        plan=plan,
        price=plan.price,
        status=Subscription.Status.ACTIVE,
        started_at=timezone.now(),
        paid_until=timezone.localdate() + relativedelta(months=1),
        mollie_customer_id="cst_test",
        mollie_subscription_id="sub_test",
        mandate_id="mdt_test",
    )


def test_replaying_one_recurring_payments_statuses_extends_the_subscription_once(
    client, mollie, django_capture_on_commit_callbacks
):
    subscription = _active_subscription()
    paid_until = subscription.paid_until
    mollie.subscription_id = "sub_test"
    for status in ("paid", "refunded", "paid", "failed", "paid"):
        mollie.statuses["tr_recurring1"] = status
        with django_capture_on_commit_callbacks(execute=True):
            assert _post(client, "tr_recurring1").status_code == 200

    subscription.refresh_from_db()
    assert subscription.paid_until == paid_until + relativedelta(months=1)
    assert subscription.status == Subscription.Status.ACTIVE  # the replayed "failed" did not make it past due
    payment = Payment.objects.get(mollie_id="tr_recurring1")
    assert (payment.kind, payment.object_id, payment.status) == ("subscription_recurring", subscription.pk, "paid")
    assert payment.effect_applied_at is not None
    renewals = subscription.user.activities.filter(action=SubscriptionAction.RENEWED)
    assert renewals.count() == 1
    assert not subscription.user.activities.filter(action=SubscriptionAction.PAYMENT_FAILED).exists()
    # No "payment failed" mail; at most the renewal's invoice (billing app, PDF attached), and only once.
    assert [message for message in mail.outbox if not message.attachments] == []
    assert len(mail.outbox) <= 1


def test_a_recurring_payment_that_failed_and_then_was_paid_is_applied_once_on_that_paid(client, mollie):
    subscription = _active_subscription()
    paid_until = subscription.paid_until
    mollie.subscription_id = "sub_test"
    for status in ("open", "failed", "paid", "paid", "expired", "paid"):
        mollie.statuses["tr_recurring2"] = status
        assert _post(client, "tr_recurring2").status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE  # past due on "failed", active again on "paid"
    assert subscription.paid_until == paid_until + relativedelta(months=1)
    assert subscription.user.activities.filter(action=SubscriptionAction.RENEWED).count() == 1
