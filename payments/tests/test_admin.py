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


def _paid(amount="30.25", description="Hosting", user=None):
    from mollie_sim import services as sim
    from mollie_sim.models import SimPayment
    from payments import services

    payment = services.payment_start(
        user=user or UserFactory(),
        kind="test",
        object_id=1,
        amount=Decimal(amount),
        description=description,
        redirect_url="https://example.org/",
    )
    sim.payment_settle(payment=SimPayment.objects.get(sim_id=payment.mollie_id), status="paid")
    return services.payment_sync(mollie_id=payment.mollie_id)


@pytest.mark.django_db(transaction=True)
def test_finance_refunds_part_from_the_admin_after_a_confirmation_page(
    mollie_live, client, django_assert_max_num_queries
):
    from mollie_sim.models import SimPayment

    payment = _paid()
    finance = _staff(FINANCE)
    client.force_login(finance)
    with django_assert_max_num_queries(22):  # the list runs in the request transaction now
        listing = client.get("/admin/payments/payment/?q=Hosting")
    assert listing.status_code == 200 and payment.mollie_id.encode() in listing.content
    change = client.get(f"/admin/payments/payment/{payment.pk}/change/")
    assert change.status_code == 200 and b'name="amount"' not in change.content  # read-only
    url = f"/admin/payments/payment/{payment.pk}/refund/"
    assert url.encode() in change.content
    form = client.get(url)
    assert form.status_code == 200 and b'value="30.25"' in form.content  # the refundable remainder by default
    confirm = client.post(url, {"amount": "10.00"})
    assert confirm.status_code == 200 and b'id="refund-confirmation"' in confirm.content
    assert not Refund.objects.exists()  # nothing happens before finance confirms
    done = client.post(url, {"amount": "10.00", "confirm": "yes"})
    assert done.status_code == 302
    refund = Refund.objects.get()
    assert refund.amount == Decimal("10.00") and refund.created_by == finance and refund.status == "pending"
    assert SimPayment.objects.get(sim_id=payment.mollie_id).amount_refunded == Decimal("10.00")
    again = client.get(url)
    assert b'value="20.25"' in again.content and b"10,00" in again.content  # refunded before, in Dutch
    too_much = client.post(url, {"amount": "20.26", "confirm": "yes"})
    assert too_much.status_code == 200 and Refund.objects.count() == 1  # refused with a message, no 500
    assert b"20,25" in too_much.content


@pytest.mark.django_db
def test_support_cannot_refund(client):
    payment = Payment.objects.create(
        mollie_id="tr_x", kind="test", object_id=1, amount=Decimal("1.00"), description="x", status="paid"
    )
    client.force_login(_staff(SUPPORT))
    response = client.post(f"/admin/payments/payment/{payment.pk}/refund/", {"amount": "1.00", "confirm": "yes"})
    assert response.status_code == 403
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_finance_can_list_the_duplicate_payments_refunded_automatically(client):
    Payment.objects.create(
        mollie_id="tr_dup",
        kind="test",
        object_id=1,
        amount=Decimal("5.00"),
        description="twice",
        status="paid",
        duplicate=True,
    )
    Payment.objects.create(
        mollie_id="tr_one", kind="test", object_id=1, amount=Decimal("5.00"), description="once", status="paid"
    )
    client.force_login(_staff(FINANCE))
    response = client.get("/admin/payments/payment/?duplicate__exact=1")
    assert response.status_code == 200
    assert b"tr_dup" in response.content and b"tr_one" not in response.content
