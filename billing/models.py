"""Invoices and credit notes: the fiscal documents of every payment Mollie reports paid and every refund.

A document is frozen when it is issued: seller, customer, lines and totals are copied into its own
rows (Wet OB art. 35a), so it reads the same for seven years, whatever happens to the order, the
subscription, the profile or the settings.  Each kind has one gapless number series per year, taken
under a row lock of its ``DocumentCounter`` in the transaction that stores the document.

Amounts are ``Decimal`` euros.  A credit note stores the amounts it credits as positive numbers and
says "credit" on every page; money received − refunded = Σ invoices − Σ credit notes.
"""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DocumentCounter(models.Model):
    """The last number handed out per kind of document and year; locked while the next one is taken."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="billing_counter_kind_year_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"


class Document(models.Model):
    """What invoices and credit notes share: number, seller and customer as they were at issue, totals."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The register's purpose of the payment's owner (P1 orders, P4 in-app, P8 credits, P5 subscriptions).
    purpose = models.CharField(_("purpose"), max_length=4)
    language = models.CharField(_("language"), max_length=8, default="nl")
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    issue_date = models.DateField(_("date of issue"))
    seller_name = models.CharField(_("seller"), max_length=200)
    seller_address = models.TextField(_("seller's address"))
    seller_kvk = models.CharField(_("KvK number"), max_length=20)
    seller_vat_id = models.CharField(_("VAT identification number"), max_length=20)
    seller_email = models.CharField(_("seller's email address"), max_length=254, blank=True)
    customer_name = models.CharField(_("name"), max_length=200)
    customer_street = models.CharField(_("street and house number"), max_length=200, blank=True)
    customer_postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    customer_town = models.CharField(_("town"), max_length=100, blank=True)
    customer_country = models.CharField(_("country"), max_length=2, blank=True)
    # The payment's owner: "order", "subscription_first", "subscription_recurring", and its id.
    owner_kind = models.CharField(_("belongs to"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    total_excl_vat = models.DecimalField(_("total excl. VAT (EUR)"), max_digits=10, decimal_places=2)
    vat_total = models.DecimalField(_("VAT (EUR)"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total incl. VAT (EUR)"), max_digits=10, decimal_places=2)

    class Meta:
        abstract = True
        ordering = ("-issued_at", "-pk")

    def __str__(self) -> str:
        return self.number

    @property
    def seller_address_lines(self) -> list[str]:
        return [line for line in self.seller_address.splitlines() if line]

    @property
    def is_order(self) -> bool:
        return self.owner_kind == "order"

    def vat_summary(self) -> list[dict]:
        """Per VAT rate: the amount excl. VAT, the VAT and the total (from the lines, which must be prefetched)."""
        groups: dict[Decimal, dict] = defaultdict(
            lambda: {"net": Decimal("0"), "vat": Decimal("0"), "total": Decimal("0")}
        )
        for line in self.lines.all():  # type: ignore[attr-defined]  # the subclasses' related name
            group = groups[line.vat_rate]
            group["net"] += line.net_amount
            group["vat"] += line.vat_amount
            group["total"] += line.total
        return [{"rate": rate, **values} for rate, values in sorted(groups.items())]


class Invoice(Document):
    payment = models.OneToOneField(
        "payments.Payment",
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoice",
        help_text=_("The payment Mollie reported paid; one invoice per payment."),
    )
    supply_date = models.DateField(_("date of supply"))

    class Meta(Document.Meta):
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="billing_invoice_year_sequence_unique"),
            models.CheckConstraint(condition=Q(total__gte=0), name="billing_invoice_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["user", "-issued_at"], name="billing_invoice_user_issued"),
            models.Index(fields=["owner_kind", "object_id"], name="billing_invoice_owner"),
        ]
        permissions = [("download_invoice", "Can download invoices and credit notes as PDF")]

    def get_absolute_url(self) -> str:
        return reverse("billing:invoice", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"factuur-{self.number}.pdf"


class CreditNote(Document):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("corrected invoice"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    refund = models.OneToOneField(
        "payments.Refund",
        verbose_name=_("refund"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_note",
        help_text=_("The refund Mollie accepted; one credit note per refund."),
    )

    class Meta(Document.Meta):
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="billing_creditnote_year_sequence_unique"),
            models.CheckConstraint(condition=Q(total__gt=0), name="billing_creditnote_total_positive"),
        ]
        indexes = [
            models.Index(fields=["user", "-issued_at"], name="billing_creditnote_user_issued"),
            models.Index(fields=["owner_kind", "object_id"], name="billing_creditnote_owner"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("billing:credit_note", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"creditnota-{self.number}.pdf"


class Line(models.Model):
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_excl_vat = models.DecimalField(_("unit price excl. VAT (EUR)"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    net_amount = models.DecimalField(_("amount excl. VAT (EUR)"), max_digits=10, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT (EUR)"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total incl. VAT (EUR)"), max_digits=10, decimal_places=2)

    class Meta:
        abstract = True
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class InvoiceLine(Line):
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines")

    class Meta(Line.Meta):
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")


class CreditNoteLine(Line):
    credit_note = models.ForeignKey(
        CreditNote, verbose_name=_("credit note"), on_delete=models.CASCADE, related_name="lines"
    )

    class Meta(Line.Meta):
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")
