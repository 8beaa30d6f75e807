"""The payment state machine: a status changes only when Mollie's really differs, under a row lock."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from accounts.tests.factories import UserFactory
from payments import gateway, handlers, services
from payments.models import Payment
from portal.tasks import email_send

CALLS: list[tuple[int, str, str]] = []


def _test_handler(*, payment, previous_status):
    CALLS.append((payment.pk, previous_status, payment.status))
    if payment.status == Payment.Status.PAID:
        email_send.delay_on_commit(subject="Paid", body=f"Payment {payment.mollie_id} received", to=["a@example.nl"])


handlers.register("test", _test_handler, return_url=lambda payment: "/dashboard-after-payment/")


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    yield
    CALLS.clear()


class FakeMollie:
    """Stands in for ``gateway.payment_get``: Mollie's view of each payment."""

    def __init__(self):
        self.statuses: dict[str, str] = {}
        self.calls = 0
        self.down = False

    def __call__(self, mollie_id: str):
        self.calls += 1
        if self.down:
            raise gateway.GatewayError("unreachable")
        if mollie_id not in self.statuses:
            return None
        status = self.statuses[mollie_id]
        return gateway.RemotePayment(
            id=mollie_id,
            status=status,
            amount=Decimal("10.00"),
            currency="EUR",
            method="ideal",
            sequence_type="oneoff",
            customer_id="",
            mandate_id="",
            subscription_id="",
            description="Test",
            paid_at=None,
            checkout_url="",
        )


@pytest.fixture
def mollie(monkeypatch):
    fake = FakeMollie()
    monkeypatch.setattr(gateway, "payment_get", fake)
    return fake


def _payment(user=None, mollie_id="tr_test1", status=Payment.Status.OPEN) -> Payment:
    return Payment.objects.create(
        user=user,
        mollie_id=mollie_id,
        kind="test",
        object_id=1,
        amount=Decimal("10.00"),
        description="Test",
        status=status,
    )


@pytest.mark.django_db
@pytest.mark.clause("C03")
def test_status_follows_mollie_and_the_handler_runs_once_per_real_transition(mollie):
    payment = _payment()
    mollie.statuses["tr_test1"] = "pending"
    services.payment_sync(mollie_id="tr_test1")
    mollie.statuses["tr_test1"] = "paid"
    services.payment_sync(mollie_id="tr_test1")
    services.payment_sync(mollie_id="tr_test1")
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.paid_at and payment.method == "ideal"
    assert [(payment.pk, "open", "pending"), (payment.pk, "pending", "paid")] == CALLS


@pytest.mark.django_db
def test_unknown_id_gives_none_and_changes_nothing(mollie):
    _payment()
    assert services.payment_sync(mollie_id="tr_unknown") is None
    mollie.statuses["tr_orphan"] = "paid"  # Mollie knows it, we never started it, nobody claims it
    assert services.payment_sync(mollie_id="tr_orphan") is None
    assert Payment.objects.count() == 1 and CALLS == []


@pytest.mark.django_db
def test_webhook_answers_200_for_unknown_ids_and_never_trusts_the_body(client, mollie):
    payment = _payment()
    mollie.statuses["tr_test1"] = "open"
    assert client.post("/betalingen/webhook/", {"id": "tr_nope"}).status_code == 200
    assert client.post("/betalingen/webhook/", {}).status_code == 200
    response = client.post("/betalingen/webhook/", {"id": "tr_test1", "status": "paid", "amount": "0.01"})
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == "open" and CALLS == []


@pytest.mark.django_db
@pytest.mark.clause("C03")
def test_webhook_retried_by_mollie_makes_one_transition_and_one_email(
    client, mollie, django_capture_on_commit_callbacks
):
    _payment()
    mollie.statuses["tr_test1"] = "paid"
    for _attempt in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/betalingen/webhook/", {"id": "tr_test1"}).status_code == 200
    assert len(CALLS) == 1 and len(mail.outbox) == 1
    assert mollie.calls == 5  # every delivery asked Mollie, none trusted the post


@pytest.mark.django_db
def test_webhook_asks_for_a_retry_when_mollie_is_unreachable(client, mollie):
    payment = _payment()
    mollie.down = True
    assert client.post("/betalingen/webhook/", {"id": "tr_test1"}).status_code == 503
    payment.refresh_from_db()
    assert payment.status == "open" and CALLS == []
    mollie.down = False
    mollie.statuses["tr_test1"] = "paid"
    assert client.post("/betalingen/webhook/", {"id": "tr_test1"}).status_code == 200
    assert len(CALLS) == 1


def _run_threads(count: int, target) -> list:
    barrier = threading.Barrier(count)
    results: list = []
    errors: list = []

    def run(index: int):
        try:
            barrier.wait(timeout=30)
            results.append(target(index))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C03")
def test_fifty_concurrent_deliveries_of_the_same_webhook_make_one_transition_and_one_email(mollie):
    payment = _payment()
    mollie.statuses["tr_test1"] = "paid"
    results = _run_threads(50, lambda index: Client().post("/betalingen/webhook/", {"id": "tr_test1"}).status_code)
    assert results == [200] * 50
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert [(payment.pk, "open", "paid")] == CALLS
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C03")
def test_the_customers_return_racing_the_webhook_makes_one_transition(mollie):
    user = UserFactory()
    payment = _payment(user=user)
    mollie.statuses["tr_test1"] = "paid"
    browser = Client()
    browser.force_login(user)
    return_url = f"/betalingen/terug/{payment.uuid}/"

    def either(index: int):
        if index % 2:
            return browser.get(return_url).status_code
        return Client().post("/betalingen/webhook/", {"id": "tr_test1"}).status_code

    results = _run_threads(10, either)
    assert sorted(results) == [200] * 5 + [302] * 5
    assert [(payment.pk, "open", "paid")] == CALLS and len(mail.outbox) == 1


@pytest.mark.django_db
def test_return_syncs_a_late_webhook_and_sends_the_customer_on(client, mollie):
    user = UserFactory()
    payment = _payment(user=user)
    mollie.statuses["tr_test1"] = "paid"
    client.force_login(user)
    response = client.get(f"/betalingen/terug/{payment.uuid}/")
    assert response.status_code == 302 and response["Location"] == "/dashboard-after-payment/"
    payment.refresh_from_db()
    assert payment.status == "paid" and len(CALLS) == 1
    client.post("/betalingen/webhook/", {"id": "tr_test1"})
    assert len(CALLS) == 1


@pytest.mark.django_db
def test_another_customer_gets_404_for_the_return_url(client, mollie):
    payment = _payment(user=UserFactory())
    client.force_login(UserFactory())
    assert client.get(f"/betalingen/terug/{payment.uuid}/").status_code == 404
    assert client.get(f"/en/betalingen/terug/{payment.uuid}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.clause("C05")
def test_a_payment_that_brings_the_money_after_its_order_ended_counts_its_seven_years_from_the_completion():
    """An order abandoned (its payments' clock starts at the end), then paid after all and completed."""
    import datetime

    from django.utils import timezone

    from accounts.tests.factories import UserFactory
    from payments.models import Payment
    from payments.services import payment_owner_completed

    user = UserFactory()
    ended = timezone.now() - datetime.timedelta(days=20)
    common = {"user": user, "kind": "order", "object_id": 4242, "amount": "9.95", "description": "order 4242"}
    late = Payment.objects.create(mollie_id="tr_late", status=Payment.Status.PAID, **common)
    failed = Payment.objects.create(mollie_id="tr_failed", status=Payment.Status.FAILED, **common)
    payment_owner_completed(kind="order", object_id=4242, completed_at=ended)
    Payment.objects.filter(pk=late.pk).update(effect_applied_at=timezone.now())
    completed = timezone.now()
    payment_owner_completed(kind="order", object_id=4242, completed_at=completed)
    late.refresh_from_db()
    failed.refresh_from_db()
    assert late.completed_at == completed  # the fiscal clock of the money received
    assert failed.completed_at == ended  # the payment that brought nothing keeps the abandoned order's clock
