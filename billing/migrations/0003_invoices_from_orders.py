"""Every order that already has an invoice number gets its Invoice row, with the same number.

The orders app numbered invoices itself (``Order.invoice_number``, ``orders.InvoiceCounter``); from now
on billing does.  The rows are built from the order's snapshot and lines as they are, the counters
continue where the orders app stopped, so the series stays gapless.  Re-running adds nothing twice.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import migrations
from django.utils import timezone

CENT = Decimal("0.01")
PURPOSES = {"regular": "P1", "in_app": "P4", "credits": "P8"}


def _vat_part(gross, rate):
    return gross - (gross * 100 / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def forwards(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    OrderLine = apps.get_model("orders", "OrderLine")
    InvoiceCounter = apps.get_model("orders", "InvoiceCounter")
    Payment = apps.get_model("payments", "Payment")
    Invoice = apps.get_model("billing", "Invoice")
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    DocumentCounter = apps.get_model("billing", "DocumentCounter")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))

    seller = {
        "seller_name": settings.NETREX_COMPANY_NAME,
        "seller_address": "\n".join(settings.NETREX_COMPANY_ADDRESS),
        "seller_kvk": settings.NETREX_KVK_NUMBER,
        "seller_vat_id": settings.NETREX_VAT_ID,
        "seller_email": settings.NETREX_COMPANY_EMAIL,
    }
    highest: dict[int, int] = defaultdict(int)
    for counter in InvoiceCounter.objects.all():
        highest[counter.year] = counter.last_number
    taken = set(Invoice.objects.values_list("number", flat=True))
    orders = Order.objects.filter(invoice_number__isnull=False).order_by("pk")
    for order in orders.iterator(chunk_size=500):
        year_text, _, sequence_text = order.invoice_number.partition("-")
        year, sequence = int(year_text), int(sequence_text)
        highest[year] = max(highest[year], sequence)
        if order.invoice_number in taken:
            continue
        payment = (
            Payment.objects.filter(kind="order", object_id=order.pk, status="paid", invoice__isnull=True)
            .order_by("paid_at", "pk")
            .first()
        )
        language = (
            User.objects.filter(pk=order.user_id).values_list("language", flat=True).first() or settings.LANGUAGE_CODE
        )
        issued_on = order.invoice_date or timezone.localdate(order.paid_at or order.created_at)
        rows = []
        for line in OrderLine.objects.filter(order=order, total__gt=0).order_by("pk"):
            vat = _vat_part(line.total, line.vat_rate)
            unit = (line.total / line.quantity * 100 / (100 + line.vat_rate)).quantize(CENT, rounding=ROUND_HALF_UP)
            rows.append(
                {
                    "description": line.description[:255],
                    "quantity": line.quantity,
                    "unit_price_excl_vat": unit,
                    "vat_rate": line.vat_rate,
                    "net_amount": line.total - vat,
                    "vat_amount": vat,
                    "total": line.total,
                }
            )
        net = sum((row["net_amount"] for row in rows), Decimal("0"))
        vat_total = sum((row["vat_amount"] for row in rows), Decimal("0"))
        invoice = Invoice.objects.create(
            number=order.invoice_number,
            year=year,
            sequence=sequence,
            payment=payment,
            user_id=order.user_id,
            purpose=PURPOSES.get(order.kind, "P1"),
            language=language,
            owner_kind="order",
            object_id=order.pk,
            issued_at=order.paid_at or order.created_at,
            issue_date=issued_on,
            supply_date=timezone.localdate(order.paid_at or order.created_at),
            customer_name=order.invoice_name,
            customer_street=order.invoice_street,
            customer_postal_code=order.invoice_postal_code,
            customer_town=order.invoice_town,
            customer_country=order.invoice_country,
            total_excl_vat=net,
            vat_total=vat_total,
            total=net + vat_total,
            **seller,
        )
        InvoiceLine.objects.bulk_create(
            [InvoiceLine(invoice=invoice, position=index, **row) for index, row in enumerate(rows, start=1)]
        )
    for year, last in highest.items():
        counter, _ = DocumentCounter.objects.get_or_create(kind="invoice", year=year)
        if counter.last_number < last:
            counter.last_number = last
            counter.save(update_fields=["last_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_staff_roles"),
        ("orders", "0003_product_title"),
        ("payments", "0003_payment_effect_applied_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
