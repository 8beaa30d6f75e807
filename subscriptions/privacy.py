"""Personal data of the subscriptions app (P5): kept until cancelled, then seven years (C15)."""

from django.utils.translation import gettext_lazy as _

from privacy.declarations import Declaration, Erase, register
from subscriptions.models import Subscription


def _describe(row: Subscription) -> str:
    return f"{row.plan} ({row.get_status_display()})"


register(
    Declaration(
        model=Subscription,
        purpose="P5",
        fields=(
            "plan",
            "price",
            "status",
            "created_at",
            "started_at",
            "paid_until",
            "cancelled_at",
            "target_ref",
            "domain",
            "mollie_customer_id",
            "mandate_id",
            "billing_name",
            "billing_email",
            "billing_street",
            "billing_postal_code",
            "billing_town",
            "billing_country",
        ),
        email_field="billing_email",
        rule="subscription_cancelled",
        clock="cancelled_at",
        erase=Erase.DELETE,
        on_closure=Erase.DETACH,
        detach_field="user",
        describe=_describe,
        label=_("Subscriptions"),
    ),
)
