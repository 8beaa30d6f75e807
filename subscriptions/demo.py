"""Demo data: the subscription plans (prices include 21% VAT), created once by code and then left as staff set them."""

from decimal import Decimal

from portal import demo
from subscriptions.models import Plan

PLANS = (
    (
        "webcare-monthly",
        "Webcare maandelijks",
        "Webcare monthly",
        "Onderhoud, updates en back-ups van je website, elke maand.",
        "Maintenance, updates and back-ups of your website, every month.",
        Plan.Interval.MONTHLY,
        Decimal("24.20"),
        1,
    ),
    (
        "webcare-yearly",
        "Webcare jaarlijks",
        "Webcare yearly",
        "Onderhoud, updates en back-ups van je website, een jaar vooruit betaald (twee maanden gratis).",
        "Maintenance, updates and back-ups of your website, a year paid in advance (two months free).",
        Plan.Interval.YEARLY,
        Decimal("242.00"),
        2,
    ),
    (
        "seo-monthly",
        "Vindbaarheid maandelijks",
        "Search visibility monthly",
        "Maandelijks rapport en verbeteringen voor je vindbaarheid in zoekmachines.",
        "A monthly report and improvements of how search engines find you.",
        Plan.Interval.MONTHLY,
        Decimal("60.50"),
        3,
    ),
)


def seed_plans(*, customer=None, staff=None, stdout=None, options=None, **kwargs) -> None:
    for code, title_nl, title_en, product_nl, product_en, interval, price, position in PLANS:
        Plan.objects.get_or_create(
            code=code,
            defaults={
                "title_nl": title_nl,
                "title_en": title_en,
                "product_nl": product_nl,
                "product_en": product_en,
                "interval": interval,
                "price": price,
                "position": position,
                "active": True,
            },
        )
    if stdout is not None:
        stdout.write(f"subscriptions: {len(PLANS)} plans")


def life(*, customer, staff, stdout, options) -> None:
    """An active Webcare subscription for the demo package: the first payment through the simulator, two renewals."""
    from payments.demo import demo_charge, demo_pay
    from subscriptions.models import Subscription
    from subscriptions.selectors import targets_open
    from subscriptions.services import subscription_schedule_at_mollie, subscription_start

    if customer is None or Subscription.objects.filter(user=customer).exists():
        return
    plan = Plan.objects.filter(code="webcare-monthly", active=True).first()
    if plan is None:
        return
    # For the demo customer's hosting package when there is one, else for a new domain of their own.
    package = next((target for target in targets_open(user=customer) if target.kind == "hosting"), None)
    if package is not None:
        subscription, payment = subscription_start(user=customer, plan=plan, target_ref=package.ref)
    else:
        subscription, payment = subscription_start(user=customer, plan=plan, domain=f"webcare-demo-{customer.pk}.nl")
    demo_pay(payment=payment)
    subscription = subscription_schedule_at_mollie(subscription_id=subscription.pk)
    if subscription is None or not subscription.mollie_subscription_id:
        return
    for _renewal in range(2):
        demo_charge(mollie_subscription_id=subscription.mollie_subscription_id)
    stdout.write("  subscriptions: Webcare monthly, paid and renewed twice")


demo.register_life(life, order=20)
