import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.tests.factories import UserFactory
from credits.models import CreditEntry
from credits.services import credits_grant
from orders.services import Item, order_place
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment
from portal.roles import FINANCE, SUPPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_client(client):
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=FINANCE))
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(staff)
    return client


def test_roles_get_the_permissions_they_need():
    finance = set(Group.objects.get(name=FINANCE).permissions.values_list("codename", flat=True))
    support = set(Group.objects.get(name=SUPPORT).permissions.values_list("codename", flat=True))
    assert {"view_order", "view_shipment", "view_creditentry", "change_product"} <= finance
    assert {"view_order", "view_creditentry"} <= support and "change_product" not in support


def test_finance_reads_orders_shipments_and_ledger_but_cannot_change_money(finance_client, customer, catalogue):
    order = order_place(user=customer, items=[Item(catalogue["yubikey-5-nfc"])])
    payment_move(payment_for(order), Payment.Status.PAID)
    credits_grant(user=customer, amount=5, reason="test", idempotency_key="k")
    pages = [
        reverse("admin:orders_order_changelist") + "?q=Jansen&status__exact=completed",
        reverse("admin:orders_order_change", args=[order.pk]),
        reverse("admin:orders_shipment_changelist"),
        reverse("admin:credits_creditentry_changelist") + "?q=test",
        reverse("admin:orders_product_changelist"),
    ]
    for url in pages:
        response = finance_client.get(url)
        assert response.status_code == 200, url
    change = finance_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert 'name="total"' not in change and 'name="invoice_name"' not in change
    entry = CreditEntry.objects.get()
    assert (
        finance_client.post(reverse("admin:credits_creditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert finance_client.get(reverse("admin:credits_creditentry_add")).status_code == 403
    assert finance_client.get(reverse("admin:orders_order_add")).status_code == 403
