"""Customer pages served from rendered copies: a change shows at once, no copy reaches another person,
a closed account leaves none, and a form in a copy posts with the token of the session it was served to."""

import re
from collections import Counter

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from consent.models import ConsentRecord
from orders.demo import seed
from orders.models import Order, Product
from orders.services import Item, order_place
from portal import dashboard, page_copies
from portal.models import Activity
from stats import services as stats_services
from stats.buffer import Visit

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class _Out:
    def write(self, *args, **kwargs) -> None:
        pass


@pytest.fixture
def catalogue(db):
    seed(customer=None, staff=None, stdout=_Out(), options={})
    return {product.slug: product for product in Product.objects.all()}


@pytest.fixture
def customer(db):
    return UserFactory(language="nl")


@pytest.fixture
def other(db):
    return UserFactory(language="nl")


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


def _get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    return response.content.decode(), len(queries)


def _copies(user_id: int) -> list[str]:
    found = cache.get_many(dashboard.page_slot_keys(user_id))
    return [key for key, value in found.items() if value is not None]


def _order_numbers(html: str) -> set[int]:
    return {int(n) for n in re.findall(r">#(\d+)</a>", html)}


def _place(customer, catalogue) -> Order:
    return order_place(user=customer, items=[Item(catalogue["ssl-dv"])])


@pytest.mark.clause("C01")
def test_a_second_visit_is_served_from_the_copy_and_a_new_order_shows_at_once(customer_client, customer, catalogue):
    first = _place(customer, catalogue)
    url = reverse("orders:list")
    cold, cold_queries = _get(customer_client, url)
    warm, warm_queries = _get(customer_client, url)
    assert warm_queries < cold_queries
    assert warm_queries <= 2  # the session and the user: nothing of the page itself
    assert _order_numbers(warm) == {first.pk} and warm == cold.replace(_token(cold), _token(warm))
    second = _place(customer, catalogue)
    assert second.pk in _order_numbers(_get(customer_client, url)[0])


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.clause("C07")
def test_a_session_saved_again_keeps_the_copies_and_a_real_change_renews_them(customer_client, customer, catalogue):
    """allauth re-saves the session's row about once a minute: that must not renew every copy of the customer."""
    session = UserSession.objects.create(user=customer, session_key="k" * 32, ip="192.0.2.1", user_agent="test")
    _place(customer, catalogue)
    url = reverse("orders:list")
    _get(customer_client, url)
    assert _copies(customer.pk)
    session.ip = "192.0.2.2"
    session.save()  # "last seen" renewed by the session tracking
    assert _copies(customer.pk)
    assert _get(customer_client, url)[1] <= 2  # still from the copy
    UserSession.objects.create(user=customer, session_key="n" * 32, ip="192.0.2.3", user_agent="other")
    assert not _copies(customer.pk)  # a new session (a login) is a change of the customer's data
    _get(customer_client, url)
    third = _place(customer, catalogue)
    html, queries = _get(customer_client, url)
    assert third.pk in _order_numbers(html) and queries > 2


@pytest.mark.clause("C38")
def test_the_statistics_buffer_leaves_the_page_copies_and_renews_my_data(customer_client, customer, catalogue):
    from django.utils import timezone

    from consent import services as consent_services
    from consent.models import Method

    consent_services.consent_set(user=customer, purpose_id="P3", given=True, method=Method.SIGNUP, run_effects=False)
    _place(customer, catalogue)
    _get(customer_client, reverse("orders:list"))
    my_data_key = dashboard.data_copy_key("my-data-totals", customer.pk)
    _get(customer_client, reverse("rights:my_data"))
    assert cache.get(my_data_key) is not None
    copies = _copies(customer.pk)
    now = timezone.now()
    visit = Visit(user_id=customer.pk, email=customer.email, ip_address="192.0.2.1", path="/", at=now)
    stats_services.pageviews_store(counts=Counter({(now.date(), "/"): 1}), visits=[visit])
    assert cache.get(my_data_key) is None  # "my data" counts the new profiling row again
    assert _copies(customer.pk) == copies  # the order list shows no page view: its copy stays
    assert _get(customer_client, reverse("orders:list"))[1] <= 2
    my_data, queries = _get(customer_client, reverse("rights:my_data"))
    assert queries > 2  # made again


@pytest.mark.clause("C36")
def test_no_copy_is_served_to_another_customer(client, customer, other, catalogue):
    mine = _place(customer, catalogue)
    theirs = _place(other, catalogue)
    for url in (reverse("orders:list"), reverse("accounts:activity"), reverse("credits:overview")):
        client.force_login(customer)
        client.get(url)
        mine_html = client.get(url).content.decode()
        client.force_login(other)
        theirs_html = client.get(url).content.decode()
        assert customer.email not in theirs_html
        if url == reverse("orders:list"):
            assert _order_numbers(mine_html) == {mine.pk}
            assert _order_numbers(theirs_html) == {theirs.pk}
    client.force_login(customer)
    detail = reverse("orders:detail", kwargs={"pk": mine.pk})
    client.get(detail)
    client.force_login(other)
    assert client.get(detail).status_code == 404  # the copy is the owner's alone


@pytest.mark.clause("C24")
def test_closing_the_account_leaves_no_page_copy(customer_client, customer, catalogue):
    from accounts import closure

    order = _place(customer, catalogue)
    names = ["orders:list", "accounts:activity", "consent:consents", "credits:overview", "subscriptions:list"]
    names += ["services:list", "billing:list", "accounts:dashboard"]
    for language in ("nl", "en"):
        with translation.override(language):
            urls = [reverse(name) for name in names] + [reverse("orders:detail", kwargs={"pk": order.pk})]
        for url in urls:
            assert customer_client.get(url).status_code == 200
    assert len(_copies(customer.pk)) >= 6
    closure.account_close(user=customer)
    assert _copies(customer.pk) == []


@pytest.mark.clause("C36")
def test_a_form_in_a_copy_posts_with_the_token_of_the_session_it_was_served_to(customer):
    url = reverse("consent:consents")
    first = Client(enforce_csrf_checks=True)
    first.force_login(customer)
    first.get(url)  # made
    second = Client(enforce_csrf_checks=True)
    second.force_login(customer)
    html = second.get(url).content.decode()  # served from the copy
    assert page_copies.CSRF_PLACEHOLDER not in html
    token = _token(html)
    assert token
    response = second.post(url, {"purpose": "P7", "given": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ConsentRecord.objects.filter(user=customer, purpose="P7", given=True).exists()
    third = Client(enforce_csrf_checks=True)
    third.force_login(customer)
    forged = third.post(url, {"purpose": "P7", "given": "0", "csrfmiddlewaretoken": token})
    assert forged.status_code == 403  # the token of another session's page is worth nothing here


@pytest.mark.clause("C39e")
def test_a_consent_change_shows_at_once_on_the_cached_page(customer_client, customer):
    url = reverse("consent:consents")
    assert 'aria-checked="true"' not in _get(customer_client, url)[0]
    customer_client.post(url, {"purpose": "P7", "given": "1"})
    html = customer_client.get(url).content.decode()
    assert 'aria-checked="true"' in html
    assert "message-success" in html  # the message of the change: rendered anew, not kept
    html, queries = _get(customer_client, url)
    assert 'aria-checked="true"' in html and "message-success" not in html
    assert _get(customer_client, url)[1] <= 2  # and from then on from the new copy


def test_a_page_with_a_message_is_rendered_and_not_kept(customer_client, customer):
    url = reverse("consent:consents")
    customer_client.post(url, {"purpose": "P7", "given": "1"})  # leaves a message for the next page
    assert _copies(customer.pk) == []
    customer_client.get(url)  # shows the message: not kept
    assert _copies(customer.pk) == []
    customer_client.get(url)
    assert len(_copies(customer.pk)) == 1


def test_a_product_change_renews_the_pages_that_show_it(customer_client, catalogue):
    url = reverse("credits:overview")
    pack = next(p for p in catalogue.values() if p.kind == Product.Kind.CREDITS)
    assert "Megapak voor de test" not in _get(customer_client, url)[0]
    pack.title = "Megapak voor de test"
    pack.save()
    assert "Megapak voor de test" in _get(customer_client, url)[0]


def test_staff_pages_are_never_kept(client, catalogue):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    client.get(reverse("orders:list"))
    assert _copies(staff.pk) == []


def test_pages_work_when_the_cache_fails(customer_client, customer, catalogue, monkeypatch):
    from portal import cached_copies

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get_many", "get", "set", "add", "delete_many"):
        monkeypatch.setattr(cached_copies.cache, name, broken)
    order = _place(customer, catalogue)
    assert _order_numbers(_get(customer_client, reverse("orders:list"))[0]) == {order.pk}
    assert _order_numbers(_get(customer_client, reverse("orders:list"))[0]) == {order.pk}


def test_a_copy_holds_neither_the_csrf_token_nor_the_csp_nonce_of_the_request_it_was_made_for():
    from django.middleware.csrf import get_token

    request = RequestFactory().get("/")
    request._csp_nonce = "bm9uY2UtZm9yLXRoaXMtcmVxdWVzdA=="
    token = get_token(request)
    html = f'<input value="{token}"><script nonce="{request._csp_nonce}"></script><p>{"a" * 64}</p>'
    copy = page_copies.blank(request, html)
    assert token not in copy and request._csp_nonce not in copy
    assert "a" * 64 in copy  # text that only looks like a token stays
    served = RequestFactory().get("/")
    served.csp_nonce = "other-nonce"
    served.META["CSRF_COOKIE"] = "b" * 32
    filled = page_copies.fill(served, copy)
    assert "other-nonce" in filled and page_copies.CSRF_PLACEHOLDER not in filled
    assert Activity.objects.count() == 0
