"""Money as a customer reads it: one function for pages, e-mails, PDFs and the activity log.

Amounts are stored as ``Decimal`` (or integer cents) and formatted only when shown, in the language
active at that moment: "€ 1.341,00" in Dutch, "€1,341.00" in English.
"""

from decimal import Decimal

from django.utils import formats, translation


def money(amount: Decimal | int | float | str | None, *, currency: str = "EUR") -> str:
    """``amount`` in euros (a Decimal, or anything Decimal() accepts) written the customer's way."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    sign = "-" if value < 0 else ""
    number = formats.number_format(abs(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = "€" if currency == "EUR" else currency
    if (translation.get_language() or "nl").startswith("nl"):
        return f"{sign}{symbol}\N{NO-BREAK SPACE}{number}"
    return f"{sign}{symbol}{number}" if symbol == "€" else f"{sign}{symbol}\N{NO-BREAK SPACE}{number}"


def cents(amount: Decimal) -> int:
    """A euro amount as whole cents, for sums that must add up exactly."""
    return int((Decimal(str(amount)) * 100).quantize(Decimal("1")))
