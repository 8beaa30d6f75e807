"""Paid subscriptions (P5): plans, and each customer's subscription with its Mollie customer and mandate.

A subscription keeps a snapshot of what an invoice needs (name, email, billing address) taken when
it starts, so its fiscal record survives the closure of the account; ``cancelled_at`` starts the
seven-year clock of the register's rule ``subscription_cancelled``.
"""

import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

VAT_RATE = 21


class Plan(models.Model):
    class Interval(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")

    code = models.SlugField(_("code"), unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)
    product_nl = models.TextField(_("product (Dutch)"), blank=True)
    product_en = models.TextField(_("product (English)"), blank=True)
    interval = models.CharField(_("interval"), max_length=16, choices=Interval.choices)
    price = models.DecimalField(_("price incl. 21% VAT"), max_digits=10, decimal_places=2)
    active = models.BooleanField(_("available"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["position", "price", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(price__gt=0), name="plan_price_positive")]

    def __str__(self) -> str:
        return f"{self.title_nl} ({self.get_interval_display()})"

    @property
    def title(self) -> str:
        return self.title_en if translation.get_language() == "en" else self.title_nl

    @property
    def product(self) -> str:
        return self.product_en if translation.get_language() == "en" else self.product_nl

    @property
    def vat(self):
        """The VAT included in the price."""
        return (self.price * VAT_RATE / (100 + VAT_RATE)).quantize(self.price)

    @property
    def period(self) -> relativedelta:
        return relativedelta(months=1) if self.interval == self.Interval.MONTHLY else relativedelta(years=1)

    @property
    def mollie_interval(self) -> str:
        return "1 month" if self.interval == self.Interval.MONTHLY else "12 months"


class Subscription(models.Model):
    class Status(models.TextChoices):
        # With a context: "Cancelled" of a payment or an order reads differently in Dutch ("Opgezegd" here).
        PENDING = "pending", pgettext_lazy("subscription status", "Awaiting first payment")
        ACTIVE = "active", pgettext_lazy("subscription status", "Active")
        PAST_DUE = "past_due", pgettext_lazy("subscription status", "Payment overdue")
        CANCELLED = "cancelled", pgettext_lazy("subscription status", "Cancelled")
        ENDED = "ended", pgettext_lazy("subscription status", "Ended")

    OPEN_STATUSES = (Status.PENDING, Status.ACTIVE, Status.PAST_DUE)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("plan"))
    price = models.DecimalField(_("price incl. VAT"), max_digits=10, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    paid_until = models.DateField(_("paid until"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, db_index=True)
    # What the plan runs for: one of the customer's targets ("service:42", see portal.targets), or a new domain.
    target_ref = models.CharField(_("for"), max_length=60, blank=True)
    domain = models.CharField(_("domain"), max_length=253, blank=True)
    mollie_customer_id = models.CharField(_("Mollie customer id"), max_length=64, blank=True)
    mollie_subscription_id = models.CharField(_("Mollie subscription id"), max_length=64, blank=True, db_index=True)
    mandate_id = models.CharField(_("Mollie mandate id"), max_length=64, blank=True)
    # The fiscal snapshot, taken when the subscription is taken out.
    billing_name = models.CharField(_("name"), max_length=200, blank=True)
    billing_email = models.EmailField(_("email address"), blank=True)
    billing_street = models.CharField(_("street and house number"), max_length=200, blank=True)
    billing_postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    billing_town = models.CharField(_("town"), max_length=100, blank=True)
    billing_country = models.CharField(_("country"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.plan}"

    def get_absolute_url(self) -> str:
        return reverse("subscriptions:detail", kwargs={"pk": self.pk})

    @property
    def can_cancel(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.PAST_DUE)
