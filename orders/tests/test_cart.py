"""The cart kept in the database: visitors, log-in merge, quantities, prices checked again, targets, retention."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts import closure
from accounts.tests.factories import UserFactory
from orders import services
from orders.cart import CartChanged, cart_checkout, cart_review
from orders.models import Cart, CartLine, Order, Product
from orders.services import Item, OrderError, order_place
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment
from portal.models import Activity
from portal.money import money
from privacy.declarations import for_model
from retention import engine

pytestmark = pytest.mark.django_db


class _FakePayment:
    pk = 2**31
    mollie_id = "tr_fake"
    checkout_url = "https://checkout.example.test/pay"


@pytest.fixture
def fake_start(monkeypatch):
    calls = []

    def start(**kwargs):
        calls.append(kwargs)
        return _FakePayment()

    monkeypatch.setattr("orders.services.payment_start", start)
    return calls


def _add(client, product, **data):
    with translation.override("nl"):
        url = reverse("orders:cart_add")
    return client.post(url, {"product": product.pk, "quantity": 1, **data}, follow=True)


def _line(user) -> CartLine:
    return CartLine.objects.get(cart__user=user)


# --- visitors and log-in ------------------------------------------------------------------------------


def test_a_visitor_sees_the_shop_and_fills_a_cart_kept_in_the_database(client, catalogue):
    assert client.get(reverse("orders:catalogue")).status_code == 200
    response = _add(client, catalogue["yubikey-5-nfc"], quantity=2)
    assert response.status_code == 200 and "YubiKey" in response.content.decode()
    cart = Cart.objects.get()
    assert cart.user is None and cart.visitor_key == client.session["orders_cart_key"]
    assert [(line.product.slug, line.quantity) for line in cart.lines.all()] == [("yubikey-5-nfc", 2)]
    assert not Activity.objects.exists()  # a visitor has no activity log


def test_checkout_asks_a_visitor_to_log_in(client, catalogue):
    _add(client, catalogue["yubikey-5-nfc"])
    response = client.get(reverse("orders:checkout"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.clause("C01")
def test_the_visitors_cart_joins_the_customers_cart_on_log_in(client, customer, catalogue):
    client.force_login(customer)
    _add(client, catalogue["yubikey-5-nfc"])  # already in the customer's cart from an earlier visit
    client.logout()
    _add(client, catalogue["yubikey-5-nfc"], quantity=2)
    _add(client, catalogue["domain-nl"], domain="mijn-winkel.nl")
    assert Cart.objects.count() == 2
    client.force_login(customer)
    cart = Cart.objects.get()
    assert cart.user == customer and cart.visitor_key is None
    assert sorted((line.product.slug, line.quantity, line.domain) for line in cart.lines.all()) == [
        ("domain-nl", 1, "mijn-winkel.nl"),
        ("yubikey-5-nfc", 3, ""),
    ]
    assert "orders_cart_key" not in client.session


def test_the_cart_is_still_there_after_logging_out_and_in_again(client, customer, catalogue):
    client.force_login(customer)
    _add(client, catalogue["hosting-pro"], domain="blijft.nl")
    client.logout()
    assert "blijft.nl" not in client.get(reverse("orders:cart")).content.decode()  # a visitor sees their own
    client.force_login(customer)
    assert "blijft.nl" in client.get(reverse("orders:cart")).content.decode()


# --- quantities ---------------------------------------------------------------------------------------


def test_the_customer_changes_a_quantity_on_the_cart_page(customer_client, customer, catalogue):
    _add(customer_client, catalogue["yubikey-5-nfc"])
    line = _line(customer)
    response = customer_client.post(reverse("orders:cart_quantity", args=[line.pk]), {"quantity": 4}, follow=True)
    assert "Het aantal is gewijzigd." in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 4
    assert Activity.objects.filter(user=customer, action="cart_quantity_changed").count() == 1
    assert money(Decimal("239.80")) in customer_client.get(reverse("orders:cart")).content.decode()


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Het aantal moet minstens 1 zijn."),
        ("100", "Je kunt van één product hoogstens 99 tegelijk bestellen."),
        ("veel", "Vul het aantal in als heel getal."),
        ("", "Vul een aantal in."),
        ("-3", "Het aantal moet minstens 1 zijn."),
    ],
)
def test_a_bad_quantity_gives_a_clear_dutch_message(customer_client, customer, catalogue, quantity, message):
    _add(customer_client, catalogue["yubikey-5-nfc"], quantity=2)
    line = _line(customer)
    response = customer_client.post(
        reverse("orders:cart_quantity", args=[line.pk]), {"quantity": quantity}, follow=True
    )
    assert response.status_code == 200 and message in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 2


def test_a_line_for_one_domain_stays_at_one(customer_client, customer, catalogue):
    _add(customer_client, catalogue["hosting-start"], domain="een.nl")
    line = _line(customer)
    response = customer_client.post(reverse("orders:cart_quantity", args=[line.pk]), {"quantity": 3}, follow=True)
    assert "precies één" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 1


def test_someone_elses_or_a_made_up_cart_line_is_a_404(client, customer, other, catalogue):
    client.force_login(customer)
    _add(client, catalogue["yubikey-5-nfc"])
    line = _line(customer)
    client.force_login(other)
    for url, data in (
        (reverse("orders:cart_quantity", args=[line.pk]), {"quantity": 5}),
        (reverse("orders:cart_quantity", args=[line.pk]), {"quantity": "x"}),
        (reverse("orders:cart_remove", args=[line.pk]), {}),
        (reverse("orders:cart_remove", args=[999999]), {}),
    ):
        assert client.post(url, data).status_code == 404, url
    client.logout()
    assert client.post(reverse("orders:cart_remove", args=[line.pk])).status_code == 404
    line.refresh_from_db()
    assert line.quantity == 1


def test_removing_a_line_is_logged(customer_client, customer, catalogue):
    _add(customer_client, catalogue["yubikey-5-nfc"])
    line = _line(customer)
    customer_client.post(reverse("orders:cart_remove", args=[line.pk]))
    assert not CartLine.objects.exists()
    assert Activity.objects.filter(user=customer, action="cart_removed").exists()


# --- prices checked again -----------------------------------------------------------------------------


def test_a_changed_price_must_be_accepted_before_checkout_and_is_never_charged_stale(
    customer_client, customer, catalogue, fake_start
):
    product = catalogue["yubikey-5-nfc"]
    _add(customer_client, product, quantity=2)
    Product.objects.filter(pk=product.pk).update(price=Decimal("64.95"))
    response = customer_client.post(reverse("orders:checkout"), follow=True)
    page = response.content.decode()
    assert not Order.objects.exists()
    assert "Er is iets in je winkelwagen veranderd" in page
    assert f"de prijs is veranderd van {money(Decimal('59.95'))} in {money(Decimal('64.95'))}." in page
    assert customer_client.get(reverse("orders:checkout"))["Location"] == reverse("orders:cart")
    customer_client.post(reverse("orders:cart_accept"))
    assert _line(customer).unit_price == Decimal("64.95")
    response = customer_client.post(reverse("orders:checkout"))
    assert response["Location"] == _FakePayment.checkout_url
    order = Order.objects.get()
    assert order.total == Decimal("129.90") and fake_start[0]["amount"] == Decimal("129.90")


def test_a_product_no_longer_sold_is_shown_and_removed_when_the_customer_confirms(customer_client, customer, catalogue):
    _add(customer_client, catalogue["yubikey-5-nfc"])
    _add(customer_client, catalogue["hosting-start"], domain="blijf.nl")
    Product.objects.filter(slug="yubikey-5-nfc").update(active=False)
    assert "niet meer te koop" in customer_client.get(reverse("orders:cart")).content.decode()
    request = RequestFactory().post("/")
    request.user = customer
    with pytest.raises(CartChanged):
        cart_checkout(request=request, user=customer)
    customer_client.post(reverse("orders:cart_accept"))
    assert [line.product.slug for line in CartLine.objects.all()] == ["hosting-start"]
    assert not cart_review(Cart.objects.get(), user=customer).changes


# --- products know what they serve --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("voorbeeld.nl", ".com-domeinnaam (1 jaar) is voor domeinnamen die eindigen op .com."),
        ("bezet.com", None),
    ],
)
def test_a_domain_product_sells_only_its_extension(customer_client, catalogue, package, domain, message):
    response = _add(customer_client, catalogue["domain-com"], domain=domain)
    if message:
        assert message in response.content.decode()
        assert not CartLine.objects.exists()
    else:
        assert CartLine.objects.get().domain == "bezet.com"


def test_a_taken_domain_is_refused_with_the_registrars_answer(customer_client, catalogue, package):
    response = _add(customer_client, catalogue["domain-nl"], domain="bezet.nl")
    assert "bezet.nl is al bezet." in response.content.decode()
    assert not CartLine.objects.exists()


def test_the_service_refuses_a_domain_of_another_extension(customer, catalogue):
    with pytest.raises(OrderError, match=r"\.com"):
        order_place(user=customer, items=[Item(catalogue["domain-com"], domain="voorbeeld.nl")])
    assert not Order.objects.exists()


def test_the_data_migration_reads_the_extension_from_code_or_title():
    from importlib import import_module

    extension_of = import_module("orders.migrations.0006_domain_product_extensions").extension_of
    assert extension_of("domain-com", "whatever") == ".com"
    assert extension_of("dom-x", ".EU-domeinnaam (1 jaar)") == ".eu"
    assert extension_of("hosting-pro", "Webhosting Pro") == ""


def test_the_demo_catalogue_knows_its_extensions(catalogue):
    assert catalogue["domain-com"].extension_list == [".com"]
    assert catalogue["domain-nl"].sells_domain("xn--bcher-kva.nl")
    assert not catalogue["domain-nl"].sells_domain("voorbeeld.nl.com")


def test_a_certificate_is_bought_for_one_of_the_customers_packages(
    customer_client, customer, catalogue, package, fake_start, django_capture_on_commit_callbacks
):
    shop = customer_client.get(reverse("orders:catalogue")).content.decode()
    assert package.label in shop
    _add(customer_client, catalogue["ssl-dv"], target=package.ref)
    line = _line(customer)
    assert (line.target_ref, line.target_label, line.quantity) == (package.ref, "klant-site.nl", 1)
    assert "voor klant-site.nl" in customer_client.get(reverse("orders:cart")).content.decode()
    assert "voor klant-site.nl" in customer_client.get(reverse("orders:checkout")).content.decode()
    customer_client.post(reverse("orders:checkout"))
    order = Order.objects.get()
    order_line = order.lines.get()
    assert order_line.target_ref == package.ref and order_line.domain == "klant-site.nl"
    assert order_line.description == "SSL-certificaat DV (1 jaar) voor klant-site.nl"
    with django_capture_on_commit_callbacks(execute=True):
        payment_move(payment_for(order), Payment.Status.PAID)
    assert "SSL-certificaat DV (1 jaar) voor klant-site.nl" in mail.outbox[0].body
    page = customer_client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "voor klant-site.nl" in page


@pytest.mark.clause("C36")
def test_someone_elses_package_is_refused_everywhere(client, customer, other, catalogue, package):
    client.force_login(other)  # the fake source lists the package for ``customer`` only
    response = _add(client, catalogue["ssl-dv"], target=package.ref)
    assert "Kies een van je eigen hostingpakketten of domeinen." in response.content.decode()
    assert not CartLine.objects.exists()
    addon = catalogue["addon-backup"]
    response = client.post(reverse("orders:addon_buy", args=[addon.pk]), {"target": package.ref}, follow=True)
    assert response.status_code == 200 and not Order.objects.exists()
    for ref in (package.ref, "service:abc", "x" * 500):
        with pytest.raises(OrderError):
            order_place(user=other, items=[Item(addon, target_ref=ref)], kind=Order.Kind.IN_APP)
        with pytest.raises(OrderError):
            services.addon_order_for_credits(user=other, product=catalogue["addon-mailbox"], target_ref=ref)
    assert not Order.objects.exists()


def test_a_package_that_is_gone_by_checkout_is_refused(customer_client, customer, catalogue, package, monkeypatch):
    from portal import targets

    _add(customer_client, catalogue["ssl-dv"], target=package.ref)
    monkeypatch.setattr(targets, "_sources", [])
    response = customer_client.post(reverse("orders:checkout"), follow=True)
    assert not Order.objects.exists()
    assert "niet meer een van je pakketten of domeinen" in response.content.decode()


def test_an_addon_page_without_packages_explains_and_links_to_hosting(customer_client, catalogue, monkeypatch):
    from portal import targets

    monkeypatch.setattr(targets, "_sources", [])
    page = customer_client.get(reverse("orders:addon_buy", args=[catalogue["addon-backup"].pk])).content.decode()
    assert 'id="addon-needs-target"' in page and "#group-hosting" in page
    response = customer_client.post(reverse("orders:addon_buy", args=[catalogue["addon-backup"].pk]), follow=True)
    assert "Kies het hostingpakket of domein waarvoor dit is." in response.content.decode()
    assert not Order.objects.exists()


def test_an_addon_paid_with_credits_is_for_the_chosen_package(customer_client, customer, catalogue, package):
    from credits.services import credits_grant

    addon = catalogue["addon-mailbox"]
    credits_grant(user=customer, amount=20, reason="test", idempotency_key="t")
    token = customer_client.get(reverse("orders:addon_buy", args=[addon.pk])).context["token"]
    customer_client.post(reverse("credits:addon_credits", args=[addon.pk]), {"token": token, "target": package.ref})
    line = Order.objects.get().lines.get()
    assert line.target_ref == package.ref and line.description == "Extra mailbox 10 GB voor klant-site.nl"


# --- privacy: abandoned carts and closure -------------------------------------------------------------


@pytest.mark.clause("C04", "C05")
def test_an_abandoned_cart_goes_after_the_registers_period_by_the_real_sweep(client, customer, catalogue):
    client.force_login(customer)
    _add(client, catalogue["yubikey-5-nfc"])
    client.logout()
    _add(client, catalogue["yubikey-5-nfc"])  # a visitor's cart
    now = timezone.now()
    Cart.objects.update(changed_at=now - datetime.timedelta(days=29))
    engine.sweep(now=now, rules=["cart_abandoned"])
    assert Cart.objects.count() == 2
    engine.sweep(now=now + datetime.timedelta(days=1, seconds=1), rules=["cart_abandoned"])
    assert not Cart.objects.exists() and not CartLine.objects.exists()


@pytest.mark.clause("C38")
def test_closing_the_account_erases_the_cart(customer_client, customer, catalogue):
    _add(customer_client, catalogue["hosting-pro"], domain="weg.nl")
    closure.account_close(user=customer)
    assert not Cart.objects.exists() and not CartLine.objects.exists()


@pytest.mark.clause("C39a")
def test_the_cart_is_in_the_export_and_a_visitors_cart_belongs_to_nobody(client, customer, catalogue):
    client.force_login(customer)
    _add(client, catalogue["hosting-pro"], domain="export.nl")
    client.logout()
    _add(client, catalogue["yubikey-5-nfc"])
    declaration = next(d for d in for_model(Cart) if d.listed)
    assert declaration.retention.key == "cart_abandoned" and declaration.retention.period().days == 30
    rows = list(declaration.export_rows(declaration.for_user(customer)))
    assert [row["pk"] for row in rows] == list(declaration.for_user(customer).values_list("pk", flat=True))
    assert [(line["product"], line["domain"]) for row in rows for line in row["lines"]] == [
        ("Webhosting Pro (1 jaar)", "export.nl")
    ]
    assert not declaration.for_user(UserFactory()).exists()
