"""Demo life: the demo customer spends part of the 50 credits bought in the orders' demo on an add-on."""

from credits.models import CreditEntry
from credits.services import addon_buy_with_credits
from portal import demo


def life(*, customer, staff, stdout, options) -> None:
    from orders.models import Product

    if customer is None or CreditEntry.objects.filter(user=customer, delta__lt=0).exists():
        return
    if not CreditEntry.objects.filter(user=customer, delta__gt=0).exists():
        return  # no credits bought (the orders' demo did not run)
    product = Product.objects.filter(slug="addon-mailbox", active=True, credit_price__isnull=False).first()
    if product is None:
        return
    from portal.targets import targets_for

    package = next((target for target in targets_for(customer) if target.kind == "hosting"), None)
    if package is None:
        return  # an add-on is for a hosting package (the services' demo did not run)
    addon_buy_with_credits(
        user=customer,
        product=product,
        token="demo-addon-mailbox",  # noqa: S106 - a form token
        target_ref=package.ref,
    )
    stdout.write(f"  credits: {product.credit_price} of the 50 credits spent on {product.title}")


demo.register_life(life, order=30)
