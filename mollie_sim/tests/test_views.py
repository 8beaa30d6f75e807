"""The simulator's own pages: the dashboard with its "charge now" buttons, and the checkout's guards."""

import datetime
from decimal import Decimal

import pytest

from mollie_sim import tasks
from mollie_sim.models import SimCustomer, SimMandate, SimPayment, SimSubscription


@pytest.mark.django_db
def test_dashboard_charges_a_subscription_now(client, monkeypatch):
    monkeypatch.setattr(tasks.webhook_deliver, "delay_on_commit", lambda *args, **kwargs: None)
    customer = SimCustomer.objects.create(sim_id="cst_view0000001", name="Jan", email="jan@example.nl")
    SimMandate.objects.create(sim_id="mdt_view0000001", customer=customer)
    SimSubscription.objects.create(
        sim_id="sub_view0000001",
        customer=customer,
        amount=Decimal("60.50"),
        interval="1 month",
        description="SEO",
        start_date=datetime.date(2026, 1, 1),
        next_payment_date=datetime.date(2026, 1, 1),
    )
    page = client.get("/mollie-sim/")
    assert page.status_code == 200 and b"sub_view0000001" in page.content
    response = client.post("/mollie-sim/subscriptions/sub_view0000001/charge/", {"status": "paid"})
    assert response.status_code == 302
    payment = SimPayment.objects.get()
    assert (payment.status, payment.sequence_type, payment.mandate.sim_id) == ("paid", "recurring", "mdt_view0000001")


@pytest.mark.django_db
def test_checkout_refuses_unknown_choices_and_settles_only_once(client, monkeypatch):
    monkeypatch.setattr(tasks.webhook_deliver, "delay_on_commit", lambda *args, **kwargs: None)
    payment = SimPayment.objects.create(
        sim_id="tr_view0000001", amount=Decimal("5.00"), description="Test", redirect_url="https://shop.example/"
    )
    url = "/mollie-sim/checkout/tr_view0000001/"
    assert client.post(url, {"status": "refunded"}).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "open"
    assert client.post(url, {"status": "canceled"})["Location"] == "https://shop.example/"
    client.post(url, {"status": "paid"})
    payment.refresh_from_db()
    assert payment.status == "canceled" and payment.paid_at is None
    assert client.get("/mollie-sim/checkout/tr_nope/").status_code == 404


@pytest.mark.django_db
def test_an_open_payment_past_its_expiry_expires_and_calls_the_webhook(client, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.webhook_deliver, "delay_on_commit", lambda *args, **kwargs: queued.append(args))
    payment = SimPayment.objects.create(
        sim_id="tr_view0000002",
        amount=Decimal("5.00"),
        description="Test",
        redirect_url="https://shop.example/",
        webhook_url="https://shop.example/hook",
        expires_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    response = client.get("/mollie-sim/checkout/tr_view0000002/")
    assert response.status_code == 200 and b'sim-status">expired' in response.content
    payment.refresh_from_db()
    assert payment.status == "expired" and payment.expired_at and queued == [(payment.pk,)]
