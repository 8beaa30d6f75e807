"""A double click on "pay with credits": one debit, and both submits answered with the first order (C21, C36)."""

import contextlib
import threading

import pytest
from django.contrib.messages import constants
from django.db import connection
from django.test import Client
from django.urls import reverse

from credits import services as credit_services
from credits.models import CreditBalance, CreditEntry
from credits.services import credits_grant
from orders import services
from orders.models import Order

pytestmark = pytest.mark.clause("C36", "C21")


def _submit(customer, url: str, token: str, target: str = "service:4242") -> dict:
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    response = client.post(url, {"token": token, "target": target})
    result = {"status": response.status_code, "location": response.get("Location", "")}
    if response.status_code == 302:
        page = client.get(result["location"])
        result["success"] = [str(m) for m in page.context["messages"] if m.level == constants.SUCCESS]
    return result


@pytest.mark.django_db
def test_a_second_submit_of_the_same_confirmation_is_answered_with_the_first_order(customer, catalogue, package):
    addon = catalogue["addon-storage"]
    credits_grant(user=customer, amount=40, reason="test", idempotency_key="t")
    url, token = reverse("credits:addon_credits", args=[addon.pk]), services.new_token()

    first, second = _submit(customer, url, token), _submit(customer, url, token)

    order = Order.objects.get()
    assert first["status"] == second["status"] == 302
    assert first["location"] == second["location"] == order.get_absolute_url()
    assert first["success"] == second["success"] and "15" in second["success"][0]
    assert CreditEntry.objects.filter(user=customer, delta__lt=0).count() == 1
    assert CreditBalance.objects.get(user=customer).balance == 25


@pytest.mark.django_db(transaction=True)
def test_a_double_click_racing_to_the_ledger_gives_no_500_and_one_debit(customer, catalogue, package, monkeypatch):
    addon = catalogue["addon-storage"]
    credits_grant(user=customer, amount=40, reason="test", idempotency_key="t")
    url, token = reverse("credits:addon_credits", args=[addon.pk]), services.new_token()
    # Hold each submit just before it spends, so that both have passed the "bought already?" check
    # unless something makes the second wait for the first: the race of a real double click.
    barrier = threading.Barrier(2)
    real_spend = credit_services.credits_spend

    def spend_after_both_arrived(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):  # the other submit waits behind this one
            barrier.wait(timeout=2)
        return real_spend(**kwargs)

    monkeypatch.setattr("credits.services.credits_spend", spend_after_both_arrived)
    results = []

    def click() -> None:
        try:
            results.append(_submit(customer, url, token))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r["status"] for r in results] == [302, 302], results
    order = Order.objects.get()
    assert {r["location"] for r in results} == {order.get_absolute_url()}
    assert all(r["success"] for r in results)
    assert order.status == Order.Status.COMPLETED
    assert CreditEntry.objects.filter(user=customer, delta__lt=0).count() == 1
    assert CreditBalance.objects.get(user=customer).balance == 25


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["", "service:1", "service:4242x"])
def test_an_addon_paid_with_credits_needs_one_of_the_customers_own_packages(customer, catalogue, package, target):
    addon = catalogue["addon-storage"]
    credits_grant(user=customer, amount=40, reason="test", idempotency_key="t")
    url = reverse("credits:addon_credits", args=[addon.pk])

    result = _submit(customer, url, services.new_token(), target=target)

    assert result["status"] == 302 and not result["success"]
    assert not Order.objects.exists()
    assert CreditBalance.objects.get(user=customer).balance == 40
