"""The order list's page: newest first, its line counts right, and its cost independent of the number of orders."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders import selectors
from orders.models import Order
from orders.services import Item, order_place

pytestmark = pytest.mark.django_db


def _orders(customer, catalogue, count: int, *, same_moment: bool = False) -> list[Order]:
    moment = timezone.now() - datetime.timedelta(days=1)
    orders = []
    for n in range(count):
        items = [Item(catalogue["ssl-dv"])] + ([Item(catalogue["ssl-dv"])] if n % 3 == 0 else [])
        order = order_place(user=customer, items=items)
        created = moment if same_moment else moment + datetime.timedelta(minutes=n)
        Order.objects.filter(pk=order.pk).update(created_at=created)
        orders.append(order)
    return orders


@pytest.mark.clause("C01")
def test_every_page_holds_the_newest_orders_first_with_their_line_counts(customer, other, catalogue):
    mine = _orders(customer, catalogue, 45)
    _orders(other, catalogue, 3)
    expected = [order.pk for order in reversed(mine)]
    seen = []
    for number in (1, 2, 3):
        page = selectors.order_page(user=customer, page=number)
        assert page.paginator.count == 45 and page.paginator.num_pages == 3
        seen += [order.pk for order in page.object_list]
        for order in page.object_list:
            assert order.line_count == order.lines.count()
            assert order.refunded == 0
    assert seen == expected


def test_orders_placed_at_the_same_moment_are_ordered_by_number_and_none_is_lost(customer, catalogue):
    mine = _orders(customer, catalogue, 25, same_moment=True)
    first = selectors.order_page(user=customer, page=1)
    second = selectors.order_page(user=customer, page=2)
    assert [o.pk for o in [*first.object_list, *second.object_list]] == sorted((o.pk for o in mine), reverse=True)


def test_a_page_asks_three_queries_none_of_them_over_every_order_with_its_lines(customer, catalogue):
    _orders(customer, catalogue, 30)
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.order_page(user=customer, page=2)
        list(page.object_list)
    count, ids, orders = (q["sql"] for q in ctx.captured_queries)
    assert "COUNT(" in count and "JOIN" not in count and "GROUP BY" not in count  # the index alone
    assert "JOIN" not in ids and "OFFSET 20" in ids
    assert '"orders_order"."id" IN (' in orders and "OFFSET" not in orders  # the page's own orders only
    assert len(page.object_list) == 10


def test_a_page_out_of_range_or_not_a_number_shows_the_last_or_first(customer, catalogue):
    _orders(customer, catalogue, 21)
    assert selectors.order_page(user=customer, page=99).number == 2
    assert selectors.order_page(user=customer, page="x").number == 1
    assert selectors.order_page(user=customer, page=None).object_list[0].pk == Order.objects.latest("created_at").pk
