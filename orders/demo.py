"""Demo catalogue for ``seed_demo``: realistic Netrex products, created once by slug (idempotent).

A product that exists already is left as staff set it (price, text, active): a second run changes nothing.
"""

from decimal import Decimal

from orders.models import Product
from portal import demo

K = Product.Kind

# (slug, kind, name_nl, name_en, description_nl, description_en, price incl. VAT, credits, credit price)
PRODUCTS = (
    (
        "hosting-start",
        K.HOSTING,
        "Webhosting Start (1 jaar)",
        "Web hosting Start (1 year)",
        "5 GB opslag, 5 mailboxen, gratis SSL.",
        "5 GB storage, 5 mailboxes, free SSL.",
        "59.40",
        0,
        None,
    ),
    (
        "hosting-pro",
        K.HOSTING,
        "Webhosting Pro (1 jaar)",
        "Web hosting Pro (1 year)",
        "50 GB opslag, onbeperkt mailboxen, dagelijkse back-up.",
        "50 GB storage, unlimited mailboxes, daily backup.",
        "119.40",
        0,
        None,
    ),
    (
        "hosting-wordpress",
        K.HOSTING,
        "WordPress-hosting (1 jaar)",
        "WordPress hosting (1 year)",
        "Geoptimaliseerd voor WordPress, met automatische updates.",
        "Tuned for WordPress, with automatic updates.",
        "95.40",
        0,
        None,
    ),
    (
        "domain-nl",
        K.DOMAIN,
        ".nl-domeinnaam (1 jaar)",
        ".nl domain name (1 year)",
        "Registratie of verhuizing van een .nl-domein.",
        "Register or transfer a .nl domain.",
        "9.95",
        0,
        None,
    ),
    (
        "domain-com",
        K.DOMAIN,
        ".com-domeinnaam (1 jaar)",
        ".com domain name (1 year)",
        "Registratie of verhuizing van een .com-domein.",
        "Register or transfer a .com domain.",
        "14.95",
        0,
        None,
    ),
    (
        "domain-eu",
        K.DOMAIN,
        ".eu-domeinnaam (1 jaar)",
        ".eu domain name (1 year)",
        "Registratie of verhuizing van een .eu-domein.",
        "Register or transfer a .eu domain.",
        "9.95",
        0,
        None,
    ),
    (
        "ssl-dv",
        K.CERTIFICATE,
        "SSL-certificaat DV (1 jaar)",
        "SSL certificate DV (1 year)",
        "Domeinvalidatie, binnen minuten uitgegeven.",
        "Domain validated, issued within minutes.",
        "29.95",
        0,
        None,
    ),
    (
        "ssl-wildcard",
        K.CERTIFICATE,
        "Wildcard SSL-certificaat (1 jaar)",
        "Wildcard SSL certificate (1 year)",
        "Voor alle subdomeinen van je domein.",
        "Covers every subdomain of your domain.",
        "149.00",
        0,
        None,
    ),
    (
        "addon-mailbox",
        K.ADDON,
        "Extra mailbox 10 GB",
        "Extra mailbox 10 GB",
        "Een extra mailbox bij je hostingpakket, een jaar lang.",
        "One more mailbox on your hosting, for a year.",
        "12.00",
        0,
        12,
    ),
    (
        "addon-backup",
        K.ADDON,
        "Dagelijkse back-up",
        "Daily backup",
        "Elke nacht een back-up, 30 dagen bewaard.",
        "A backup every night, kept for 30 days.",
        "24.00",
        0,
        20,
    ),
    (
        "addon-storage",
        K.ADDON,
        "Extra opslag 25 GB",
        "Extra storage 25 GB",
        "25 GB extra schijfruimte, een jaar lang.",
        "25 GB more disk space, for a year.",
        "18.00",
        0,
        15,
    ),
    ("credits-10", K.CREDITS, "10 credits", "10 credits", "", "", "10.00", 10, None),
    ("credits-50", K.CREDITS, "50 credits", "50 credits", "5% voordeel.", "5% off.", "47.50", 50, None),
    ("credits-100", K.CREDITS, "100 credits", "100 credits", "10% voordeel.", "10% off.", "90.00", 100, None),
    (
        "yubikey-5-nfc",
        K.GOODS,
        "YubiKey 5 NFC (hardwaresleutel)",
        "YubiKey 5 NFC (hardware security key)",
        "Hardwaresleutel voor tweestapsverificatie, thuisbezorgd.",
        "Hardware key for two-factor login, delivered.",
        "59.95",
        0,
        None,
    ),
)


def seed(*, customer, staff, stdout, options) -> None:
    for position, (slug, kind, name, name_en, description, description_en, price, credits, credit_price) in enumerate(
        PRODUCTS
    ):
        extension = slug.removeprefix("domain-") if kind == K.DOMAIN else ""
        Product.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "title": name,
                "title_en": name_en,
                "description": description,
                "description_en": description_en,
                "price": Decimal(price),
                "credits": credits,
                "credit_price": credit_price,
                "position": position,
                "active": True,
                "extensions": f".{extension}" if extension else "",
            },
        )
    stdout.write(f"  catalogue: {len(PRODUCTS)} products")


def life(*, customer, staff, stdout, options) -> None:
    """The demo customer's orders, paid through the simulator: a domain and certificate, an add-on, credits.

    Once: a customer who has orders already is left alone.
    """
    from orders.models import Order
    from orders.services import Item, order_pay, order_place
    from payments.demo import demo_pay
    from portal.targets import targets_for

    if customer is None or Order.objects.filter(user=customer).exists():
        return
    products = {product.slug: product for product in Product.objects.filter(active=True)}
    # The add-on is bought for the customer's hosting package, when the hosting app lists it.
    package = next((target.ref for target in targets_for(customer) if target.kind == "hosting"), "")
    baskets = (
        (
            Order.Kind.REGULAR,
            [
                Item(product=products["domain-eu"], domain="jansen-demo.eu"),
                Item(product=products["ssl-dv"], target_ref=package),  # for the hosting package
            ],
        ),
        (Order.Kind.IN_APP, [Item(product=products["addon-backup"], target_ref=package)]),
        (Order.Kind.CREDITS, [Item(product=products["credits-50"])]),
    )
    for kind, items in baskets:
        order = order_place(user=customer, items=items, kind=kind)
        demo_pay(payment=order_pay(order=order))
    # One more order, left unpaid: the customer can pay it from its page.
    order_place(user=customer, items=[Item(product=products["hosting-start"])])
    stdout.write("  orders: three paid orders (domain and certificate, an add-on, 50 credits) and one to pay")


demo.register_life(life, order=10)
