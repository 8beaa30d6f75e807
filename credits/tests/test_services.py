import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from credits.models import AppendOnlyError, CreditBalance, CreditEntry
from credits.services import InsufficientCredits, credits_grant, credits_spend


def _balance(user) -> int:
    return CreditBalance.objects.get(user=user).balance


def _ledger_sum(user) -> int:
    return CreditEntry.objects.filter(user=user).aggregate(total=Sum("delta"))["total"] or 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C21")
def test_fifty_concurrent_spends_against_ten_leave_exactly_ten_spent(customer):
    credits_grant(user=customer, amount=10, reason="start", idempotency_key="start")
    barrier = threading.Barrier(50)
    outcomes = []
    lock = threading.Lock()

    def spend(n: int) -> None:
        try:
            barrier.wait()
            credits_spend(user=customer, amount=1, idempotency_key=f"spend-{n}", reason="test")
            result = "spent"
        except InsufficientCredits:
            result = "refused"
        except Exception as exc:  # noqa: BLE001 - any other error fails the test below
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["refused", "spent"]
    assert outcomes.count("spent") == 10 and outcomes.count("refused") == 40
    assert _balance(customer) == 0 == _ledger_sum(customer)
    assert CreditEntry.objects.filter(user=customer, delta__lt=0).count() == 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C21")
def test_concurrent_spends_with_the_same_key_spend_once(customer):
    credits_grant(user=customer, amount=10, reason="start", idempotency_key="start")
    barrier = threading.Barrier(10)
    entries = []

    def spend() -> None:
        try:
            barrier.wait()
            entries.append(credits_spend(user=customer, amount=3, idempotency_key="one-click", reason="test").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(entries) == 10 and len(set(entries)) == 1
    assert _balance(customer) == 7 == _ledger_sum(customer)


@pytest.mark.django_db
@pytest.mark.clause("C21")
def test_spend_is_idempotent_per_key_and_never_goes_negative(customer):
    credits_grant(user=customer, amount=5, reason="start", idempotency_key="start")
    first = credits_spend(user=customer, amount=4, idempotency_key="k1", reason="restore")
    assert credits_spend(user=customer, amount=4, idempotency_key="k1", reason="restore").pk == first.pk
    with pytest.raises(InsufficientCredits) as refused:
        credits_spend(user=customer, amount=2, idempotency_key="k2", reason="restore")
    assert refused.value.balance == 1
    assert _balance(customer) == 1 == _ledger_sum(customer)
    assert first.balance_after == 1


@pytest.mark.django_db
def test_the_same_key_may_be_used_by_another_customer(customer, other):
    credits_grant(user=customer, amount=2, reason="a", idempotency_key="x")
    credits_grant(user=other, amount=2, reason="b", idempotency_key="x")
    assert _balance(customer) == 2 == _balance(other)


@pytest.mark.django_db
@pytest.mark.clause("C22")
def test_ledger_is_append_only(customer):
    entry = credits_grant(user=customer, amount=3, reason="start", idempotency_key="start")
    entry.reason = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.create(user=customer, delta=0, reason="nothing", idempotency_key="zero", balance_after=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditBalance.objects.filter(user=customer).update(balance=-1)


@pytest.mark.django_db
def test_one_grant_per_order_is_enforced_by_the_database(customer, catalogue):
    from orders.models import Order
    from orders.services import Item, order_place

    order = order_place(user=customer, items=[Item(catalogue["credits-10"])], kind=Order.Kind.CREDITS)
    credits_grant(user=customer, amount=10, reason="pack", order=order)
    assert credits_grant(user=customer, amount=10, reason="pack", order=order).delta == 10
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.create(
            user=customer, delta=10, reason="pack", order=order, idempotency_key="other", balance_after=20
        )
    assert _balance(customer) == 10
