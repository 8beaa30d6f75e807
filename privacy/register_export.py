"""The processing register as a record of processing activities (GDPR art. 30(1)): rows for the admin and CSV."""

import csv
import io

from django.utils import translation

from privacy import register

FIELDS = (
    ("id", "Id"),
    ("name_nl", "Naam (NL)"),
    ("name_en", "Name (EN)"),
    ("controller", "Controller (art. 30(1)(a))"),
    ("description_nl", "Doel (NL) / purpose (art. 30(1)(b))"),
    ("description_en", "Purpose (EN) (art. 30(1)(b))"),
    ("legal_basis", "Legal basis"),
    ("data_subjects", "Categories of data subjects (art. 30(1)(c))"),
    ("categories", "Categories of personal data (art. 30(1)(c))"),
    ("recipients", "Recipients (art. 30(1)(d))"),
    ("transfers", "Transfers to third countries and safeguards (art. 30(1)(e))"),
    ("retention", "Time limits for erasure (art. 30(1)(f))"),
    ("retention_statement", "Retention as the statement says"),
    ("fiscal_duty", "Statutory fiscal retention duty"),
    ("consent_withdrawable", "Consent can be withdrawn"),
    ("security", "Security measures (art. 30(1)(g))"),
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def purpose_row(purpose: register.Purpose) -> dict[str, str]:
    """Every art. 30(1) field of one purpose as text, in English (the register's working language for staff)."""
    controller = register.CONTROLLER
    with translation.override("en"):
        return {
            "id": purpose.id,
            "name_nl": purpose.name_nl,
            "name_en": purpose.name_en,
            "controller": ", ".join(controller[key] for key in ("name", "address", "email", "phone")),
            "description_nl": purpose.description_nl,
            "description_en": purpose.description_en,
            "legal_basis": purpose.legal_basis_en,
            "data_subjects": purpose.data_subjects_en,
            "categories": "; ".join(purpose.category_labels()),
            "recipients": "; ".join(f"{r.name} ({r.role})" for r in purpose.recipients) or "none",
            "transfers": "; ".join(f"{r.name}, {r.country}: {r.safeguard}" for r in purpose.transfers) or "none",
            "retention": "; ".join(
                f"{rule.key}: {rule.period_text()} after {register.Event(rule.event).label}"
                + (f" (setting {rule.setting})" if rule.setting else "")
                for rule in purpose.rules
            ),
            "retention_statement": purpose.statement_retention_en,
            "fiscal_duty": "yes" if purpose.fiscal_duty else "no",
            "consent_withdrawable": "yes" if purpose.consent_withdrawable else "no",
            "security": register.SECURITY_MEASURES_EN,
        }


def register_rows() -> list[dict[str, str]]:
    return [purpose_row(purpose) for purpose in register.PURPOSES]


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (CSV/formula injection)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def register_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_safe(label) for _key, label in FIELDS])
    for row in register_rows():
        writer.writerow([csv_safe(row[key]) for key, _label in FIELDS])
    return buffer.getvalue()
