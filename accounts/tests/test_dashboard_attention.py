"""The dashboard opens with what needs the customer's attention, and shows a change to it at once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import attention, dashboard

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class _Out:
    def write(self, *args):
        pass


def _page(client) -> str:
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _attention(page: str) -> str:
    return re.search(r'<section class="card attention".*?</section>', page, re.S).group(0)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _order(user, slug="ssl-dv"):
    from orders.demo import seed as orders_seed
    from orders.models import Product
    from orders.services import Item, order_place

    orders_seed(customer=None, staff=None, stdout=_Out(), options={})
    return order_place(user=user, items=[Item(Product.objects.get(slug=slug))])


def _subscription(user, *, status="active", paid_until=None):
    from subscriptions.demo import seed_plans
    from subscriptions.models import Plan, Subscription

    seed_plans()
    plan = Plan.objects.filter(active=True).order_by("position").first()
    return Subscription.objects.create(
        user=user, plan=plan, price=plan.price, status=status, paid_until=paid_until, started_at=timezone.now()
    )


def _service(user, domain="voorbeeld-klant.nl"):
    from hosting.models import Service
    from hosting.services import service_create

    service, _created = service_create(user=user, kind=Service.Kind.HOSTING, domain=domain, source=f"test:{domain}")
    return service


def test_the_dashboard_opens_with_the_attention_panel_and_says_all_is_well_when_nothing_is_due(customer_client):
    page = _page(customer_client)
    first_panel = re.search(r'<section class="card[^"]*"', page.split('<div class="grid">', 1)[1]).group(0)
    assert "attention" in first_panel
    panel = _attention(page)
    assert "Wat aandacht nodig heeft" in panel
    assert 'id="attention-ok"' in panel and "Alles is in orde" in panel
    assert "Je tegoed: 0 credits" in _text(panel)  # the balance is a fact beside it, never something due


def test_an_order_awaiting_payment_is_shown_with_a_pay_button_and_goes_once_it_is_paid(customer_client, customer):
    from orders.tests.helpers import payment_for, payment_move
    from payments.models import Payment

    order = _order(customer)
    panel = _attention(_page(customer_client))
    assert 'id="attention-ok"' not in panel
    assert f'action="{reverse("orders:pay", args=[order.pk])}"' in panel
    assert "Nu betalen" in panel and "Wacht op betaling" in panel
    assert "€" in _text(panel) and str(order.pk) in _text(panel)

    payment = payment_for(order)
    payment_move(payment, Payment.Status.FAILED)
    panel = _attention(_page(customer_client))  # no touch by hand: the change renews the panel itself
    assert "Betaling mislukt" in panel and "Opnieuw betalen" in panel
    assert 'class="badge status-failed"' in panel

    payment_move(payment_for(order), Payment.Status.PAID)
    panel = _attention(_page(customer_client))
    assert f'action="{reverse("orders:pay", args=[order.pk])}"' not in panel
    assert "Alles is in orde" in panel


def test_the_pay_button_starts_a_payment_with_the_sessions_own_token(customer):
    from django.test import Client

    order = _order(customer)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(customer)
    _page(first)  # cached with the placeholder, served to the second session with its own token
    panel = _attention(_page(second))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', panel).group(1)
    response = second.post(reverse("orders:pay", args=[order.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # on to the checkout (or back to the order): not a CSRF 403


def test_the_next_renewal_shows_its_date_and_amount_and_follows_a_change(customer_client, customer):
    today = timezone.localdate()
    subscription = _subscription(customer, paid_until=today + datetime.timedelta(days=12))
    panel = _text(_attention(_page(customer_client)))
    assert "Volgende verlenging" in panel
    assert subscription.plan.title in panel
    assert _dutch_date(subscription.paid_until) in panel
    assert _dutch_money(subscription.price) in panel
    assert "Alles is in orde" in panel  # a renewal on its way is not a problem

    subscription.paid_until = today + datetime.timedelta(days=40)
    subscription.save(update_fields=["paid_until"])  # a renewal was paid
    assert _dutch_date(subscription.paid_until) in _text(_attention(_page(customer_client)))

    subscription.status = subscription.Status.PAST_DUE
    subscription.save(update_fields=["status"])
    panel = _attention(_page(customer_client))
    assert 'class="badge status-past_due"' in panel and "Betaling achterstallig" in panel
    assert "Alles is in orde" not in panel


def test_a_suspended_service_is_shown_with_its_translated_reason_and_goes_when_reactivated(customer_client, customer):
    from hosting.services import REASON_PAST_DUE, REASON_PAYMENT_RECEIVED, service_reactivate, service_suspend

    service = _service(customer)
    _page(customer_client)
    service_suspend(service=service, reason=REASON_PAST_DUE)
    panel = _attention(_page(customer_client))
    assert 'class="badge state-suspended"' in panel and "Opgeschort" in panel
    assert "voorbeeld-klant.nl" in panel
    assert "Payment is past due." not in panel and "Betaling is achterstallig." in _text(panel)

    service_reactivate(service=service, reason=REASON_PAYMENT_RECEIVED)
    panel = _attention(_page(customer_client))
    assert "voorbeeld-klant.nl" not in panel and "Alles is in orde" in panel


def test_the_panel_is_in_english_on_english_pages(customer_client, customer):
    _order(customer)
    page = customer_client.get("/en" + reverse("accounts:dashboard")).content.decode()
    panel = _attention(page)
    assert "Needs your attention" in panel and "Awaiting payment" in panel and "Pay now" in panel


def _cold_queries(client, user) -> int:
    dashboard.touch(user.pk)
    with CaptureQueriesContext(connection) as ctx:
        _page(client)
    return len([q for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)])


def test_the_attention_panel_asks_the_same_number_of_queries_whatever_is_due(customer_client, customer):
    from hosting.services import REASON_PAST_DUE, service_suspend

    customer_client.get(reverse("accounts:profile"))  # the session's first request records the session
    _order(customer)
    _subscription(customer, paid_until=timezone.localdate() + datetime.timedelta(days=3))
    service_suspend(service=_service(customer, "een.nl"), reason=REASON_PAST_DUE)
    few = _cold_queries(customer_client, customer)
    for number in range(6):
        _order(customer)
        _subscription(customer, paid_until=timezone.localdate() + datetime.timedelta(days=10 + number))
        service_suspend(service=_service(customer, f"dienst{number}.nl"), reason=REASON_PAST_DUE)
    many = _cold_queries(customer_client, customer)
    assert many == few


def test_the_attention_panel_queries_one_statement_per_source(customer):
    with CaptureQueriesContext(connection) as ctx:
        attention.attention_panel(customer)
    assert len(ctx.captured_queries) == len(attention.sources())


def _dutch_date(date: datetime.date) -> str:
    from django.utils import formats, translation

    with translation.override("nl"):
        return formats.date_format(date, "j F Y")


def _dutch_money(amount: Decimal) -> str:
    from django.utils import translation

    from portal.money import money

    with translation.override("nl"):
        return " ".join(money(amount).split())
