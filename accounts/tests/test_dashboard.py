"""The dashboard's panels: cached per customer and language, renewed whenever what they show changes."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.activity import Action as AccountAction
from accounts.tests.factories import UserFactory
from portal import attention, dashboard
from portal.models import Activity

pytestmark = pytest.mark.django_db

# Session, user, and what every page of the base template asks (the statement notice, when not cached).
PAGE_QUERIES = 4
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _statements(client, url: str) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    return statements, response.content.decode()


def _fill_every_panel(user) -> None:
    """A row for each panel that has something to show, through the apps' own services."""
    from credits.services import credits_grant
    from orders.demo import seed as orders_seed
    from orders.models import Order, Product
    from orders.services import Item, order_place
    from rights.models import DataExport

    class _Out:
        def write(self, *args):
            pass

    orders_seed(customer=None, staff=None, stdout=_Out(), options={})
    order_place(user=user, items=[Item(Product.objects.get(slug="ssl-dv"))])
    assert Order.objects.filter(user=user).exists()
    credits_grant(user=user, amount=25, reason="test", idempotency_key=f"test-{user.pk}")
    DataExport.objects.create(user=user)
    Activity.objects.create(user=user, action=AccountAction.LOGGED_IN)


@pytest.mark.clause("C36")
def test_a_cold_dashboard_stays_within_the_budget_and_a_warm_one_asks_only_the_page_queries(customer_client, customer):
    _fill_every_panel(customer)
    url = reverse("accounts:dashboard")
    customer_client.get(reverse("accounts:profile"))  # the session's first request also records the session
    dashboard.touch(customer.pk)
    cold, page = _statements(customer_client, url)
    # 12 for the panels and the page: "needs your attention" adds one query (orders waiting for payment);
    # its other lines share the rows of the apps' own panels (``portal.dashboard.shared``).
    assert len(attention.sources()) == 4
    assert len(cold) <= 12, cold
    warm, cached_page = _statements(customer_client, url)
    assert len(warm) <= PAGE_QUERIES, warm
    assert len(warm) < len(cold)
    assert _without_tokens(cached_page) == _without_tokens(page)


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_change_to_the_customers_data_renews_their_panels_and_nobody_elses(customer_client, customer):
    from credits.services import credits_grant

    other = UserFactory()
    other_client = Client()
    other_client.force_login(other)
    url = reverse("accounts:dashboard")
    for client in (customer_client, other_client):
        client.get(url)
    credits_grant(user=customer, amount=42, reason="test", idempotency_key="renew-1")
    statements, page = _statements(customer_client, url)
    assert ">42<" in page.replace(" ", "") or "42" in re.sub(r"<[^>]+>", " ", page).split()
    assert any("credits_creditbalance" in sql for sql in statements)  # rendered again
    others, _page = _statements(other_client, url)
    assert not any("credits_creditbalance" in sql for sql in others)  # still cached


def test_a_change_made_with_update_is_renewed_by_the_service_that_made_it(customer_client, customer):
    from orders.demo import seed as orders_seed
    from orders.models import Order, Product
    from orders.services import Item, order_place

    class _Out:
        def write(self, *args):
            pass

    orders_seed(customer=None, staff=None, stdout=_Out(), options={})
    order = order_place(user=customer, items=[Item(Product.objects.get(slug="ssl-dv"))])
    url = reverse("accounts:dashboard")
    customer_client.get(url)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PENDING)  # no signal: still cached
    statements, _page = _statements(customer_client, url)
    assert not any("orders_order" in sql for sql in statements)
    dashboard.touch(customer.pk)
    statements, _page = _statements(customer_client, url)
    assert any("orders_order" in sql for sql in statements)


def test_a_row_of_no_one_renews_every_customers_panels(customer_client, customer):
    from orders.demo import seed as orders_seed
    from orders.models import Product

    class _Out:
        def write(self, *args):
            pass

    orders_seed(customer=None, staff=None, stdout=_Out(), options={})
    url = reverse("accounts:dashboard")
    customer_client.get(url)
    product = Product.objects.filter(active=True).first()
    product.save()
    statements, _page = _statements(customer_client, url)
    assert any("orders_product" in sql for sql in statements)


def test_the_activity_panel_shows_a_new_entry_at_once(customer_client, customer):
    url = reverse("accounts:dashboard")
    customer_client.get(url)
    Activity.objects.create(user=customer, action=AccountAction.PASSWORD_CHANGED)
    page = customer_client.get(url).content.decode()
    assert str(AccountAction.PASSWORD_CHANGED.label) in page


def test_panels_are_cached_per_language(customer_client, customer):
    customer_client.get(reverse("accounts:dashboard"))
    english = customer_client.get("/en" + reverse("accounts:dashboard")).content.decode()
    assert "Recent activity" in english and "Recente activiteit" not in english


@pytest.mark.clause("C36")
def test_a_cached_form_carries_the_token_of_the_session_that_is_served(customer):
    """The newsletter panel's form is cached; its CSRF token is the requesting session's own."""
    url = reverse("accounts:dashboard")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(customer)
    first.get(url)
    page = second.get(url).content.decode()
    form = re.search(r'<form[^>]+id="account-preferences-form".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert dashboard.CSRF_PLACEHOLDER not in page
    response = second.post(reverse("newsletter:preferences_account"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # accepted: a token of another session would give 403


def test_the_dashboard_works_when_the_cache_fails(customer_client, customer, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get_many", "get", "set", "add"):
        monkeypatch.setattr(cache, name, broken)
    response = customer_client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    assert "account-preferences-form" in response.content.decode()


def _tables_to_labels() -> dict[str, str]:
    return {model._meta.db_table: model._meta.label for model in apps.get_models()}


def test_every_panel_declares_every_model_it_reads(customer):
    """What renews a panel is what it declares: a table it queries but does not declare would go stale."""
    _fill_every_panel(customer)
    labels = _tables_to_labels()
    checked = 0
    for factory in dashboard.factories():
        with CaptureQueriesContext(connection) as ctx:
            factory(customer)
        tables = {t for q in ctx.captured_queries for t in re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"])}
        read = {labels[table] for table in tables if table in labels}
        assert read <= set(dashboard.reads_of(factory)), (factory, read - set(dashboard.reads_of(factory)))
        checked += bool(read)
    assert checked >= 5


@pytest.mark.clause("C24")
def test_closing_the_account_leaves_no_copy_of_the_dashboard_in_the_cache(customer_client, customer):
    from django.core.cache import cache

    from accounts import closure

    for prefix in ("", "/en"):
        customer_client.get(prefix + reverse("accounts:dashboard"))
    keys = [dashboard._html_key(customer.pk, language) for language in ("nl", "en")]
    assert all(cache.get(key) is not None for key in keys)
    closure.account_close(user=customer)
    assert all(cache.get(key) is None for key in keys)


def test_what_panels_share_in_one_render_is_asked_again_in_the_next(customer):
    """``dashboard.shared`` holds a value for one render only: a change between two renders shows."""
    from credits.services import credits_grant

    def balances() -> list[int]:
        return [p.context["balance"] for p in dashboard.panels_for(customer) if "balance" in p.context] + [
            item.context["balance"]
            for p in dashboard.panels_for(customer)
            for item in p.context.get("facts", [])
            if "balance" in item.context
        ]

    assert set(balances()) == {0}
    credits_grant(user=customer, amount=7, reason="test", idempotency_key="shared")
    assert set(balances()) == {7}
    assert "_dashboard_shared" not in customer.__dict__
