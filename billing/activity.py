"""Activity-log actions of the billing app (registered with ``portal.activity`` in ``AppConfig.ready``)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    """Activity-log actions of the billing app."""

    INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
    CREDIT_NOTE_ISSUED = "credit_note_issued", _("Credit note issued")
    DOCUMENT_DOWNLOADED = "billing_document_downloaded", _("Invoice or credit note downloaded")
