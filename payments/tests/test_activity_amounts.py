"""Amounts in the activity log are stored as numbers and written in the reader's language when shown."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from orders.models import Product
from orders.services import Item, order_place
from payments.activity import Action as PaymentAction
from portal.activity import activity_record, detail_text
from portal.models import Activity

pytestmark = pytest.mark.django_db


@pytest.mark.clause("C07")
def test_an_amount_is_stored_as_a_number_and_shown_the_readers_way(client):
    user = UserFactory()
    activity_record(user=user, action=PaymentAction.REFUNDED, detail={"payment": "tr_x", "amount": "1341.50"})
    product = Product.objects.create(
        kind=Product.Kind.CERTIFICATE, slug="c", title="C", title_en="C", price=Decimal("9.95")
    )
    order = order_place(user=user, items=[Item(product=product)])
    placed = Activity.objects.get(user=user, action="order_placed")
    assert placed.detail == {"summary": str(order), "amount": "9.95"}  # no "€" stored, no formatting
    assert Decimal(placed.detail["amount"]) == order.total
    client.force_login(user)
    dutch = client.get(reverse("accounts:activity")).text
    assert "€\xa01.341,50" in dutch and "€\xa09,95" in dutch
    with translation.override("en"):
        url = reverse("accounts:activity")
    english = client.get(url).text
    assert "€1,341.50" in english and "€9.95" in english


def test_detail_text_keeps_old_rows_readable():
    with translation.override("nl"):
        assert detail_text({"summary": "#1", "amount": "9.95"}) == "#1 · €\xa09,95"
        assert detail_text({"summary": "#1 € 9.95"}) == "#1 € 9.95"
        assert detail_text({"amount": "n/a"}) == "n/a"
        assert detail_text(None) == ""
