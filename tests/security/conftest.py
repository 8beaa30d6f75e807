"""Fixtures of the security suites: customer A with data in every app, customer B, an anonymous visitor."""

import io

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.factories import UserFactory

# URL prefixes that are not customer pages: the admin, allauth's own pages (login, signup: their
# limits are tested in test_brute_force.py), the payment simulator, the health check and webhooks.
SKIPPED_PREFIXES = ("admin/", "account/", "mollie-sim/", "healthz", "readyz", "static/", "i18n/", "betalingen/webhook/")


def customer_patterns() -> list[tuple[str, str, dict]]:
    """Every customer-facing URL pattern: (route, "namespace:name", {kwarg: converter})."""
    found = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.lstrip("^").startswith(SKIPPED_PREFIXES):
                    continue
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                converters = dict(getattr(pattern.pattern, "converters", {}))
                for key in pattern.pattern.regex.groupindex:
                    converters.setdefault(key, None)
                found.append((route, name, converters))

    walk(get_resolver().url_patterns, "", None)
    return found


def demo_options() -> dict:
    from portal import demo

    options = {}
    for flag, spec in demo.extra_arguments():
        options[flag.lstrip("-").replace("-", "_")] = spec.get("default")
    options["spread_years"] = 0
    return options


@pytest.fixture
def staff(db):
    return UserFactory(username="beheer-sec", is_staff=True)


@pytest.fixture
def customer_a(db, staff):
    """Customer A, with the data every app's demo hook makes for a customer, plus an export and a payment."""
    from portal import demo

    user = UserFactory(
        username="klant-a-zwaluw", email="zwaluw-a@example.nl", first_name="Zwaluwina", last_name="Aardbeiveld",
        street="Zwaluwstraat 77", postal_code="3441 EM", town="Woerden", phone="+31348433886",
    )  # fmt: skip
    demo.run_all(customer=user, staff=staff, stdout=io.StringIO(), options=demo_options())
    _extra_rows(user)
    return user


def _extra_rows(user) -> None:
    """What a demo hook does not make for a customer: orders (one paid, with its invoice), credits, a
    subscription, a data export, an open payment and a profile photo."""
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone
    from PIL import Image

    from accounts.services import photo_set
    from credits.services import credits_grant
    from orders import services as orders
    from orders.models import Order, Product
    from payments.models import Payment
    from portal.targets import targets_for
    from rights.services import export_request
    from subscriptions.demo import seed_plans
    from subscriptions.models import Plan, Subscription

    goods = Product.objects.get(slug="yubikey-5-nfc")
    addon = Product.objects.filter(kind=Product.Kind.ADDON).first()
    paid = orders.order_place(user=user, items=[orders.Item(product=goods)])
    package = next(target.ref for target in targets_for(user) if target.kind == "hosting")
    orders.order_place(user=user, items=[orders.Item(product=addon, target_ref=package)], kind=Order.Kind.IN_APP)
    with transaction.atomic():
        orders._mark_paid(Order.objects.select_for_update().get(pk=paid.pk))
    credits_grant(user=user, amount=25, reason="security sweep", idempotency_key=f"sweep-{user.pk}")
    seed_plans(stdout=io.StringIO())
    Subscription.objects.create(
        user=user, plan=Plan.objects.first(), price=Decimal("9.95"), status=Subscription.Status.ACTIVE,
        started_at=timezone.now(), paid_until=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    export_request(user=user)
    Payment.objects.create(
        user=user, kind="order", object_id=paid.pk, amount=Decimal("10.00"), description="A's payment",
        mollie_id="tr_securitysweepA", status="open", checkout_url="https://example.invalid/checkout",
    )  # fmt: skip
    image = io.BytesIO()
    Image.new("RGB", (40, 40), "teal").save(image, "JPEG")
    photo_set(user=user, upload=SimpleUploadedFile("a.jpg", image.getvalue(), content_type="image/jpeg"))


@pytest.fixture
def customer_b(db):
    return UserFactory(username="klant-b-mus", email="mus-b@example.nl", first_name="Bert", last_name="Mus")


def markers(user) -> list[str]:
    """Strings that only appear on a page showing this customer's data."""
    return [user.email, user.last_name, user.street, user.username]


def rows_of(user) -> dict[type[models.Model], list[models.Model]]:
    """The customer's rows per model, found through the privacy declarations (as "my data" finds them)."""
    from privacy.declarations import all_declarations

    found: dict[type[models.Model], list[models.Model]] = {}
    for declaration in all_declarations():
        rows = list(declaration.for_user(user).order_by("pk")[:5])
        if rows:
            found.setdefault(declaration.model, [])
            known = {row.pk for row in found[declaration.model]}
            found[declaration.model] += [row for row in rows if row.pk not in known]
    return found
