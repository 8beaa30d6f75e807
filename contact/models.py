"""Contact requests (P6, C16, C17): kept until we are sure the requester is satisfied with our answer.

"Sure" is one of two events, both declared in ``privacy.py`` for the retention sweep: the
requester says "answered, thank you" (``satisfied_at``), or stays silent for the configured period
after our answer (``answered_at``, ``RETENTION_CONTACT_SILENCE_DAYS``).  Saying "not yet" stops the
silence clock until staff answer again.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class ContactRequest(models.Model):
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
    answer = models.TextField(_("our answer"), blank=True)
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
        return f"#{self.pk} {self.subject}"

    @property
    def state(self) -> str:
        if self.satisfied_at:
            return str(_("answered, you are satisfied"))
        if self.not_yet_at:
            return str(_("not answered to your satisfaction yet"))
        if self.answered_at:
            return str(_("answered"))
        return str(_("waiting for our answer"))
