import pytest
from django.urls import reverse
from django.utils import translation

from credits.services import credits_grant
from orders.models import Cart, CartLine, Order
from orders.services import Item, order_place
from orders.tests.helpers import payment_for, payment_move
from payments.gateway import GatewayError
from payments.models import Payment
from portal.models import Activity

pytestmark = pytest.mark.django_db


class _FakePayment:
    pk = 2**31  # newer than any recorded payment: there is nothing older to cancel
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


def _paid_order(user, catalogue):
    order = order_place(user=user, items=[Item(catalogue["ssl-dv"])])
    payment_move(payment_for(order), Payment.Status.PAID)
    order.refresh_from_db()
    return order


def _order_urls(order):
    return [
        ("get", reverse("orders:detail", args=[order.pk])),
        ("post", reverse("orders:pay", args=[order.pk])),
    ]


@pytest.mark.clause("C01")
def test_another_customer_gets_404_for_every_order_url(client, customer, other, catalogue):
    order = _paid_order(customer, catalogue)
    open_order = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
    client.force_login(other)
    for method, url in _order_urls(order) + _order_urls(open_order):
        assert getattr(client, method)(url).status_code == 404, url
    client.force_login(customer)
    for method, url in _order_urls(order):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_log_in(client, customer, catalogue):
    order = _paid_order(customer, catalogue)
    urls = [url for _method, url in _order_urls(order)] + [
        reverse(name)
        for name in (
            "orders:list",
            "orders:checkout",
            "orders:addons",
            "credits:overview",
        )
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"], url


def test_an_open_order_has_no_invoice(customer_client, customer, catalogue):
    order = order_place(user=customer, items=[Item(catalogue["ssl-dv"])])
    response = customer_client.get(reverse("orders:invoice", args=[order.pk]), follow=True)
    assert response.status_code == 404  # the old URL leads to billing, which has no invoice for it


@pytest.mark.clause("C01")
def test_order_list_query_count_does_not_grow_with_orders(
    customer_client, customer, catalogue, django_assert_max_num_queries
):
    _paid_order(customer, catalogue)
    url = reverse("orders:list")
    with django_assert_max_num_queries(15) as one:
        assert customer_client.get(url).status_code == 200
    for _ in range(25):
        _paid_order(customer, catalogue)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = customer_client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20
    assert customer_client.get(url + "?page=2").context["page"].number == 2


@pytest.mark.clause("C01")
def test_cart_checkout_places_the_order_and_sends_to_mollie(customer_client, customer, catalogue, fake_start):
    add = reverse("orders:cart_add")
    response = customer_client.post(add, {"product": catalogue["hosting-pro"].pk, "quantity": 1, "domain": "Bücher.NL"})
    assert response.status_code == 302
    customer_client.post(add, {"product": catalogue["yubikey-5-nfc"].pk, "quantity": 2})
    cart = customer_client.get(reverse("orders:cart"))
    assert "xn--bcher-kva.nl" in cart.content.decode()
    assert customer_client.get(reverse("orders:checkout")).status_code == 200
    response = customer_client.post(reverse("orders:checkout"), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == _FakePayment.checkout_url
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING and order.ip_address == "198.51.100.7"
    assert [(line.description, line.quantity) for line in order.lines.all()] == [
        ("Webhosting Pro (1 jaar): xn--bcher-kva.nl", 1),
        ("YubiKey 5 NFC (hardwaresleutel)", 2),
    ]
    assert fake_start[0]["amount"] == order.total and fake_start[0]["kind"] == "order"
    assert not Cart.objects.filter(user=customer).exists()  # the cart is ordered: nothing of it is kept
    actions = set(Activity.objects.filter(user=customer).values_list("action", flat=True))
    assert {"cart_added", "order_placed"} <= actions


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"domain": "not a domain"}, "Enter only the domain name"),
        ({"domain": "-bad-.nl"}, "not a valid domain name"),
        ({"domain": "https://example.nl/"}, "Enter only the domain name"),
        ({"domain": ""}, "Enter the domain name"),
        ({"domain": "example.nl", "quantity": 3}, "quantity is 1"),
        ({"domain": "example.nl", "quantity": 0}, "The quantity must be at least 1."),
        ({"domain": "example.nl", "product": 999999}, "cannot be ordered"),
    ],
)
def test_bad_cart_input_gives_a_clear_message(customer_client, catalogue, data, message):
    post = {"product": catalogue["domain-nl"].pk, "quantity": 1, **data}
    with translation.override("en"):
        url = reverse("orders:cart_add")
    response = customer_client.post(url, post, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CartLine.objects.exists()


def test_addon_or_credit_pack_cannot_be_put_in_the_cart(customer_client, catalogue):
    customer_client.post(reverse("orders:cart_add"), {"product": catalogue["addon-backup"].pk, "quantity": 1})
    assert not CartLine.objects.exists()


def test_mollie_outage_keeps_the_order_unpaid_with_a_message(
    customer_client, customer, catalogue, monkeypatch, package
):
    def down(**kwargs):
        raise GatewayError("unreachable")

    monkeypatch.setattr("orders.services.payment_start", down)
    customer_client.post(
        reverse("orders:cart_add"), {"product": catalogue["ssl-dv"].pk, "quantity": 1, "target": package.ref}
    )
    response = customer_client.post(reverse("orders:checkout"), follow=True)
    order = Order.objects.get()
    assert order.status == Order.Status.CREATED and order.paid_at is None
    assert response.status_code == 200 and response.redirect_chain[-1][0] == order.get_absolute_url()
    assert b"Pay now" in response.content or "Nu betalen" in response.content.decode()


@pytest.mark.clause("C12", "C13")
def test_addon_is_bought_in_two_clicks_as_an_in_app_order(customer_client, customer, catalogue, fake_start, package):
    addon = catalogue["addon-mailbox"]
    assert addon.title in customer_client.get(reverse("orders:addons")).content.decode()
    assert customer_client.get(reverse("orders:addon_buy", args=[addon.pk])).status_code == 200
    response = customer_client.post(reverse("orders:addon_buy", args=[addon.pk]), {"target": package.ref})
    assert response["Location"] == _FakePayment.checkout_url
    order = Order.objects.get()
    assert order.kind == Order.Kind.IN_APP and order.purpose_rule == "inapp_completed"
    assert order.invoice_email == customer.email and order.lines.get().product == addon
    assert order.lines.get().target_ref == package.ref


@pytest.mark.clause("C12", "C21")
def test_addon_paid_with_credits_from_the_portal(customer_client, customer, catalogue, package):
    addon = catalogue["addon-storage"]
    page = customer_client.get(reverse("orders:addon_buy", args=[addon.pk]))
    token = page.context["token"]
    response = customer_client.post(
        reverse("credits:addon_credits", args=[addon.pk]), {"token": token, "target": package.ref}, follow=True
    )
    assert not Order.objects.exists() and "15" in response.content.decode()
    credits_grant(user=customer, amount=20, reason="test", idempotency_key="t")
    customer_client.post(reverse("credits:addon_credits", args=[addon.pk]), {"token": token, "target": package.ref})
    customer_client.post(reverse("credits:addon_credits", args=[addon.pk]), {"token": token, "target": package.ref})
    order = Order.objects.get()
    assert order.status == Order.Status.COMPLETED and order.credits_total == 15
    assert addon.pk in customer_client.get(reverse("orders:addons")).context["owned"]
    overview = customer_client.get(reverse("credits:overview"))
    assert overview.context["balance"] == 5
    assert [entry.delta for entry in overview.context["page"].object_list] == [-15, 20]


@pytest.mark.clause("C21")
def test_credit_pack_is_bought_through_an_order(customer_client, customer, catalogue, fake_start):
    response = customer_client.post(reverse("orders:credit_pack_buy", args=[catalogue["credits-100"].pk]))
    assert response["Location"] == _FakePayment.checkout_url
    order = Order.objects.get()
    assert order.kind == Order.Kind.CREDITS and order.total == catalogue["credits-100"].price


def test_dashboard_shows_orders_and_credits_panels(customer_client, customer, catalogue):
    order = _paid_order(customer, catalogue)
    page = customer_client.get(reverse("accounts:dashboard")).content.decode()
    assert f"#{order.pk}" in page and reverse("credits:overview") in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_customer_page_renders_in_both_languages(customer_client, customer, catalogue, language, package):
    order = _paid_order(customer, catalogue)
    customer_client.post(reverse("orders:cart_add"), {"product": catalogue["yubikey-5-nfc"].pk, "quantity": 2})
    customer_client.post(
        reverse("orders:cart_add"), {"product": catalogue["ssl-dv"].pk, "quantity": 1, "target": package.ref}
    )
    names = [
        ("orders:catalogue", []),
        ("orders:cart", []),
        ("orders:checkout", []),
        ("orders:list", []),
        ("orders:detail", [order.pk]),
        ("orders:addons", []),
        ("orders:addon_buy", [catalogue["addon-backup"].pk]),
        ("credits:overview", []),
        ("accounts:dashboard", []),
    ]
    for name, args in names:
        with translation.override(language):
            url = reverse(name, args=args)
        response = customer_client.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("Content-Language", language) == language
    with translation.override("en"):
        shop = customer_client.get(reverse("orders:catalogue")).content.decode()
    assert "Add to cart" in shop and "SSL certificate DV (1 year)" in shop
    with translation.override("nl"):
        shop = customer_client.get(reverse("orders:catalogue")).content.decode()
    assert "In winkelwagen" in shop and "SSL-certificaat DV (1 jaar)" in shop


@pytest.mark.clause("C02")
def test_order_page_tells_what_delivery_was_given(
    customer_client, customer, catalogue, django_capture_on_commit_callbacks
):
    order = order_place(user=customer, items=[Item(catalogue["yubikey-5-nfc"])])
    with django_capture_on_commit_callbacks(execute=True):
        payment_move(payment_for(order), Payment.Status.PAID)
    with translation.override("nl"):
        page = customer_client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'id="delivery-disclosure"' in page and "naam, adres en telefoonnummer" in page
