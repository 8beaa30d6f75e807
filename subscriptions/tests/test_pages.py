"""The customer's subscription pages: their own only, bounded queries, retention declared (C15)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from payments.models import Payment
from privacy.declarations import for_model
from subscriptions.demo import seed_plans
from subscriptions.models import Plan, Subscription


def _subscription(user, **extra) -> Subscription:
    seed_plans()
    plan = Plan.objects.get(code="webcare-monthly")
    values = {"status": "active", **extra}
    subscription = Subscription.objects.create(
        user=user,
        plan=plan,
        price=plan.price,
        started_at=timezone.now(),
        paid_until=timezone.localdate(),
        billing_name="Jan Jansen",
        billing_email=user.email,
        **values,
    )
    for number in range(3):
        Payment.objects.create(
            user=user,
            mollie_id=f"tr_{subscription.pk}x{number}",
            kind="subscription_recurring",
            object_id=subscription.pk,
            amount=Decimal("24.20"),
            description="Webcare",
            status="paid",
        )
    return subscription


@pytest.mark.django_db
def test_list_detail_and_dashboard_show_the_customers_subscriptions(client, django_assert_max_num_queries):
    user = UserFactory()
    subscription = _subscription(user)
    client.force_login(user)
    with django_assert_max_num_queries(16):
        response = client.get("/abonnementen/")
    assert response.status_code == 200 and b"Webcare maandelijks" in response.content
    with django_assert_max_num_queries(16):
        response = client.get(f"/abonnementen/{subscription.pk}/")
    assert response.status_code == 200 and response.content.count(b"24,20") >= 4
    assert b"/abonnementen/" in client.get("/").content


@pytest.mark.django_db
def test_another_customer_gets_404_for_every_subscription_url(client):
    subscription = _subscription(UserFactory())
    payment = Payment.objects.filter(object_id=subscription.pk).first()
    client.force_login(UserFactory())
    for url in (
        f"/abonnementen/{subscription.pk}/",
        f"/abonnementen/{subscription.pk}/opzeggen/",
        f"/en/subscriptions/{subscription.pk}/",
        f"/betalingen/terug/{payment.uuid}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/abonnementen/{subscription.pk}/opzeggen/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.status == "active"


@pytest.mark.django_db
def test_the_subscribe_page_needs_a_login_and_a_known_plan(client):
    seed_plans()
    assert client.get("/abonnementen/nieuw/webcare-monthly/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/abonnementen/nieuw/webcare-monthly/").status_code == 200
    assert client.get("/abonnementen/nieuw/nope/").status_code == 404


@pytest.mark.django_db
@pytest.mark.clause("C15")
def test_subscription_data_is_kept_until_cancelled_and_seven_years_after():
    user = UserFactory()
    kept = _subscription(user, cancelled_at=timezone.now() - timezone.timedelta(days=365 * 7 - 5), status="cancelled")
    gone = _subscription(user, cancelled_at=timezone.now() - timezone.timedelta(days=365 * 7 + 5), status="cancelled")
    running = _subscription(user)
    (declaration,) = for_model(Subscription)
    assert declaration.purpose == "P5" and declaration.rule == "subscription_cancelled"
    due = set(declaration.due(timezone.now()).values_list("pk", flat=True))
    assert gone.pk in due and kept.pk not in due and running.pk not in due
    Payment.objects.filter(object_id=gone.pk).update(completed_at=gone.cancelled_at)
    payment_declaration = next(d for d in for_model(Payment) if d.purpose == "P5")
    assert set(payment_declaration.due(timezone.now()).values_list("object_id", flat=True)) == {gone.pk}
    assert declaration.on_closure == "detach" and declaration.detach_field == "user"
