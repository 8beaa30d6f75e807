"""Contact requests (P6, C16, C17) as threads: kept until we are sure the requester is satisfied with our answer.

A request is the opening message; what follows (our answers, the customer's replies) are
``ContactMessage`` rows of the same thread.  "Sure" is one of two events, both declared in
``privacy.py`` for the retention sweep: the requester says "answered, thank you" (``satisfied_at``),
or stays silent for the configured period after our last answer (``answered_at`` while the thread
waits for the customer, ``RETENTION_CONTACT_SILENCE_DAYS``).  Saying "not yet" or replying puts the
thread back to open, which stops the silence clock until staff answer again.
"""

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class ContactRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open: waiting for our answer")
        ANSWERED = "answered", _("answered: waiting for the customer")
        SATISFIED = "satisfied", _("satisfied")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"))
    phone = PhoneNumberField(_("phone number"), blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, db_index=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    satisfied_at = models.DateTimeField(_("requester satisfied"), null=True, blank=True, db_index=True)
    not_yet_at = models.DateTimeField(_("requester said: not yet"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def number(self) -> str:
        """The number the customer quotes: stable for the life of the request ("V-2026-00042")."""
        return number_of(self.pk, self.created_at)

    @property
    def state(self) -> str:
        """The status in the customer's words."""
        if self.status == self.Status.SATISFIED:
            return str(_("answered, you are satisfied"))
        if self.status == self.Status.ANSWERED:
            return str(_("answered"))
        if self.not_yet_at:
            return str(_("not answered to your satisfaction yet"))
        return str(_("waiting for our answer"))


NUMBER = re.compile(r"(?:[Vv]-\d{4}-)?0*(\d{1,9})")


def number_of(pk: int | None, created_at) -> str:
    return f"V-{timezone.localtime(created_at):%Y}-{pk or 0:05d}"


def pk_of_number(number: str) -> int | None:
    """The request a quoted number names ("V-2026-00042", "v-2026-42", "42"), or ``None``."""
    match = NUMBER.fullmatch(number.strip())
    return int(match.group(1)) if match else None


class ContactMessage(models.Model):
    """One message of a thread after the opening question: our answer or the customer's reply.

    Staff are shown to the customer as "Netrex" with their first name at most, never their username.
    """

    class Author(models.TextChoices):
        CUSTOMER = "customer", _("customer")
        STAFF = "staff", _("Netrex")

    request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("contact request")
    )
    author = models.CharField(_("written by"), max_length=16, choices=Author.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.pk}"

    @property
    def from_staff(self) -> bool:
        return self.author == self.Author.STAFF

    @property
    def signature(self) -> str:
        """Who wrote it, as the customer sees it: "Anna (Netrex)", "Netrex", or "You"."""
        if not self.from_staff:
            return str(_("You"))
        first_name = self.staff.first_name.strip() if self.staff is not None else ""
        return f"{first_name} (Netrex)" if first_name else "Netrex"
