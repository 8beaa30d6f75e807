"""Personal data of the billing app: the customer's name and address on invoices and credit notes.

A document is a fiscal record (Wet OB art. 35a, AWR art. 52): it belongs to the purpose of what was paid
for (P1 orders, P4 in-app purchases, P8 credits, P5 subscriptions) and is kept under that purpose's
seven-year fiscal rule, counted from the day it was issued.  Account closure keeps it and only cuts the
link to the account; a legal hold on its payment (and so on the order or subscription) holds it too.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from billing.models import CreditNote, Invoice
from portal.money import money
from privacy.declarations import Declaration, Erase, register

FIELDS = (
    "number",
    "issue_date",
    "customer_name",
    "customer_street",
    "customer_postal_code",
    "customer_town",
    "customer_country",
    "owner_kind",
    "object_id",
    "total_excl_vat",
    "vat_total",
    "total",
)
# The purposes a document can serve, with the register's fiscal rule of each (all seven years).
FISCAL_RULES = {
    "P1": "order_completed",
    "P4": "inapp_completed",
    "P8": "credits_completed",
    "P5": "subscription_cancelled",
}


def _of_purpose(purpose: str):
    def narrow(queryset):
        return queryset.filter(purpose=purpose)

    narrow.__name__ = f"of_purpose_{purpose}"
    return narrow


def _invoices_of_held_payments(held):
    return Q(payment__in=held)


def _credit_notes_of_held_invoices(held):
    return Q(invoice__in=held)


def _describe(row) -> str:
    return f"{row.number} {row.issue_date:%Y-%m-%d} {money(row.total)}"


def _declarations():
    for purpose, rule in FISCAL_RULES.items():
        yield Declaration(
            model=Invoice,
            purpose=purpose,
            fields=(*FIELDS, "supply_date"),
            rule=rule,
            clock="issued_at",
            erase=Erase.DELETE,
            on_closure=Erase.DETACH,
            detach_field="user",
            extra_filter=_of_purpose(purpose),
            describe=_describe,
            label=_("Invoices"),
            belongs_to=(("payments.Payment", _invoices_of_held_payments),),
        )
        yield Declaration(
            model=CreditNote,
            purpose=purpose,
            fields=FIELDS,
            rule=rule,
            clock="issued_at",
            erase=Erase.DELETE,
            on_closure=Erase.DETACH,
            detach_field="user",
            extra_filter=_of_purpose(purpose),
            describe=_describe,
            label=_("Credit notes"),
            belongs_to=(("billing.Invoice", _credit_notes_of_held_invoices),),
        )


register(*_declarations())
