"""The catalogue, orders with their invoice snapshots, gapless invoice numbers and shipments.

An order copies everything an invoice needs (the snapshot) when it is placed, so the fiscal record
stays complete for seven years after the order is completed, also when the account is closed.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
DEFAULT_VAT_RATE = Decimal("21.00")
MAX_QUANTITY = 99  # of one product on one line, in the cart and on an order


def vat_part(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT contained in ``gross`` (a price including VAT at ``rate`` percent), to the cent, half up."""
    net = (gross * 100 / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross - net


class Product(models.Model):
    """Something a customer can buy; prices are in euros and include VAT."""

    class Kind(models.TextChoices):
        HOSTING = "hosting", _("Hosting package")
        DOMAIN = "domain", _("Domain name")
        CERTIFICATE = "certificate", _("Certificate")
        ADDON = "addon", _("Add-on")
        CREDITS = "credits", _("Credit pack")
        GOODS = "goods", _("Goods")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title (Dutch)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120)
    description = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    price = models.DecimalField(_("price incl. VAT (EUR)"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=DEFAULT_VAT_RATE)
    credits = models.PositiveIntegerField(_("credits in the pack"), default=0)
    credit_price = models.PositiveIntegerField(
        _("price in credits"), null=True, blank=True, help_text=_("Add-ons only: may also be paid with credits.")
    )
    extensions = models.CharField(
        _("domain extensions"),
        max_length=100,
        blank=True,
        help_text=_("Domain names only: the extensions this product registers, e.g. “.com” (several: “.nl .eu”)."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ("kind", "position", "price")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="orders_product_price_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="credits") | Q(credits__gt=0), name="orders_product_credit_pack_has_credits"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_name(self) -> str:
        return self.title_en if (get_language() or "nl").startswith("en") and self.title_en else self.title

    @property
    def display_description(self) -> str:
        english = (get_language() or "nl").startswith("en")
        return self.description_en if english and self.description_en else self.description

    @property
    def vat(self) -> Decimal:
        return vat_part(self.price, self.vat_rate)

    @property
    def takes_domain(self) -> bool:
        """The customer types the domain name: the one to register, or the one a hosting package serves."""
        return self.kind in (self.Kind.HOSTING, self.Kind.DOMAIN)

    @property
    def takes_target(self) -> bool:
        """Bought for one of the customer's hosting packages or domains (``portal.targets``)."""
        return self.kind in (self.Kind.ADDON, self.Kind.CERTIFICATE)

    @property
    def extension_list(self) -> list[str]:
        """The extensions a domain product registers, each with its dot, lower case (empty: any)."""
        words = self.extensions.lower().replace(",", " ").split()
        return [word if word.startswith(".") else f".{word}" for word in words]

    def sells_domain(self, domain: str) -> bool:
        """Whether this product registers ``domain`` (in its ASCII form); a product without extensions sells any."""
        extensions = self.extension_list
        return not extensions or any(domain.lower().endswith(extension) for extension in extensions)


class OrderQuerySet(models.QuerySet):
    def for_user(self, user) -> "OrderQuerySet":
        return self.filter(user=user)


class Order(models.Model):
    """One purchase.  The ``invoice_*`` fields are the snapshot an invoice is built from."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Order")
        IN_APP = "in_app", _("In-app purchase")
        CREDITS = "credits", _("Credits purchase")

    class Status(models.TextChoices):
        CREATED = "created", pgettext_lazy("order status", "Created")
        PENDING = "pending", pgettext_lazy("order status", "Awaiting payment")
        PAID = "paid", pgettext_lazy("order status", "Paid")
        COMPLETED = "completed", pgettext_lazy("order status", "Completed")
        CANCELED = "canceled", pgettext_lazy("order status", "Cancelled")
        EXPIRED = "expired", pgettext_lazy("order status", "Expired")
        FAILED = "failed", pgettext_lazy("order status", "Payment failed")

    OPEN_STATES = (Status.CREATED, Status.PENDING)
    ENDED_STATES = (Status.CANCELED, Status.EXPIRED, Status.FAILED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CREATED)
    total = models.DecimalField(_("total incl. VAT (EUR)"), max_digits=10, decimal_places=2)
    vat_total = models.DecimalField(_("VAT (EUR)"), max_digits=10, decimal_places=2)
    credits_total = models.PositiveIntegerField(_("paid in credits"), default=0)
    # The invoice snapshot (C01, C04): copied from the profile when the order is placed.
    invoice_name = models.CharField(_("name"), max_length=200)
    invoice_street = models.CharField(_("street and house number"), max_length=200, blank=True)
    invoice_postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    invoice_town = models.CharField(_("town"), max_length=100, blank=True)
    invoice_country = models.CharField(_("country"), max_length=2, blank=True)
    invoice_email = models.EmailField(_("email address"))
    invoice_phone = models.CharField(_("phone number"), max_length=32, blank=True)
    invoice_gender = models.CharField(_("gender"), max_length=16, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=20, unique=True, null=True, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    created_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, db_index=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-created_at", "-pk")
        # The order list's filter and order, id included: its page of ids is read from the index alone.
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="orders_order_user_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="orders_order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(status="completed"), name="orders_order_completed_state"
            ),
            models.CheckConstraint(
                condition=Q(invoice_number__isnull=True) | Q(status__in=["paid", "completed"]),
                name="orders_order_invoice_only_when_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def net_total(self) -> Decimal:
        return self.total - self.vat_total

    @property
    def refund_state(self) -> str:
        """ "partial" or "full" once money of the order was refunded (``refunded`` is annotated by the selectors)."""
        refunded = getattr(self, "refunded", None) or Decimal("0")
        if refunded <= 0 or self.total <= 0:
            return ""
        return "full" if refunded >= self.total else "partial"

    @property
    def display_status(self) -> str:
        """The status a customer reads: "Partially refunded" / "Refunded" win over "Paid" and "Completed"."""
        state = self.refund_state
        if state == "full":
            return str(pgettext_lazy("order status", "Refunded"))
        if state == "partial":
            return str(pgettext_lazy("order status", "Partially refunded"))
        return str(self.get_status_display())

    @property
    def purpose_rule(self) -> str:
        rules: dict[str, str] = {self.Kind.IN_APP: "inapp_completed", self.Kind.CREDITS: "credits_completed"}
        return rules.get(self.kind, "order_completed")


class OrderLine(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Product.Kind.choices)
    description = models.CharField(_("description"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price incl. VAT (EUR)"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat = models.DecimalField(_("VAT (EUR)"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total incl. VAT (EUR)"), max_digits=10, decimal_places=2)
    domain = models.CharField(_("domain name"), max_length=253, blank=True)
    # What the line was bought for (``portal.targets.Target.ref``, e.g. "service:42"); ``domain`` holds its domain.
    target_ref = models.CharField(_("bought for"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ("pk",)
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_orderline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class InvoiceCounter(models.Model):
    """The last invoice number handed out in a year; locked while the next one is taken (no gaps)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Shipment(models.Model):
    """Goods of an order handed to the delivery service, with exactly what it was given (C02)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for hand-over")
        HANDED_OVER = "handed_over", _("Handed to the delivery service")

    order = models.OneToOneField(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="shipment")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    adapter = models.CharField(_("delivery adapter"), max_length=200)
    recipient = models.CharField(_("disclosed to"), max_length=40, default="delivery")
    payload = models.JSONField(_("data handed over"), default=dict)
    carrier_reference = models.CharField(_("carrier reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.order}: {self.get_status_display()}"


class Cart(models.Model):
    """What a customer is about to order, kept until they order it or leave it (the ``cart_abandoned`` rule).

    A visitor's cart is found by ``visitor_key``, a random key kept in their session; on log-in it is
    merged into the customer's own cart (``orders.receivers``).  ``changed_at`` starts the clock.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    visitor_key = models.CharField(_("visitor key"), max_length=32, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, visitor_key__isnull=False)
                | Q(user__isnull=False, visitor_key__isnull=True),
                name="orders_cart_customer_or_visitor",
            ),
        ]

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(models.Model):
    """One product in a cart, with the price the customer saw (checked again at checkout)."""

    cart = models.ForeignKey(Cart, verbose_name=_("cart"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    domain = models.CharField(_("domain name"), max_length=253, blank=True)
    target_ref = models.CharField(_("bought for"), max_length=64, blank=True)
    target_label = models.CharField(_("bought for (as shown)"), max_length=255, blank=True)
    unit_price = models.DecimalField(_("unit price seen (EUR)"), max_digits=10, decimal_places=2)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY), name="orders_cartline_quantity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def fixed_quantity(self) -> bool:
        """A line for one domain or one package is for exactly one."""
        return bool(self.domain or self.target_ref)
