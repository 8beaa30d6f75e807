"""Finance staff see payments with read-only money fields and refund through Mollie from the admin."""

from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from accounts.tests.factories import UserFactory
from payments.models import Payment, Refund
from portal.roles import FINANCE, SUPPORT


def _staff(role: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.mark.django_db
def test_the_roles_get_their_payment_permissions():
    finance = Group.objects.get(name=FINANCE).permissions.filter(content_type__app_label="payments")
    assert {"view_payment", "refund_payment", "view_refund"} <= set(finance.values_list("codename", flat=True))
    support = Group.objects.get(name=SUPPORT).permissions.filter(content_type__app_label="payments")
    assert set(support.values_list("codename", flat=True)) == {"view_payment"}


@pytest.mark.django_db(transaction=True)
def test_finance_refunds_from_the_admin_through_mollie(mollie_live, client, django_assert_max_num_queries):
    from mollie_sim import services as sim
    from mollie_sim.models import SimPayment
    from payments import services

    customer = UserFactory()
    payment = services.payment_start(
        user=customer,
        kind="test",
        object_id=1,
        amount=Decimal("30.25"),
        description="Hosting",
        redirect_url="https://example.org/",
    )
    sim.payment_settle(payment=SimPayment.objects.get(sim_id=payment.mollie_id), status="paid")
    services.payment_sync(mollie_id=payment.mollie_id)
    finance = _staff(FINANCE)
    client.force_login(finance)
    with django_assert_max_num_queries(20):
        listing = client.get("/admin/payments/payment/?q=Hosting")
    assert listing.status_code == 200 and payment.mollie_id.encode() in listing.content
    change = client.get(f"/admin/payments/payment/{payment.pk}/change/")
    assert change.status_code == 200 and b'name="amount"' not in change.content  # read-only
    response = client.post("/admin/payments/payment/", {"action": "refund_in_full", "_selected_action": [payment.pk]})
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert refund.amount == Decimal("30.25") and refund.created_by == finance and refund.mollie_id.startswith("re_")
    assert SimPayment.objects.get(sim_id=payment.mollie_id).amount_refunded == Decimal("30.25")


@pytest.mark.django_db
def test_support_cannot_refund(client):
    payment = Payment.objects.create(
        mollie_id="tr_x", kind="test", object_id=1, amount=Decimal("1.00"), description="x", status="paid"
    )
    client.force_login(_staff(SUPPORT))
    response = client.post("/admin/payments/payment/", {"action": "refund_in_full", "_selected_action": [payment.pk]})
    assert not Refund.objects.exists()
    assert response.status_code in (200, 302)
