"""The customer (a custom user with the profile of purpose P9) and the activity log (C07, P2)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField


def photo_upload_to(instance: "User", filename: str) -> str:
    """A random name: the stored file says nothing about its owner or its original name."""
    return f"photos/{uuid.uuid4().hex}.jpg"


class User(AbstractUser):
    """A customer or a staff member.  Everything but username, email and password is optional (C25)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    nickname = models.CharField(_("nickname"), max_length=60, blank=True)
    street = models.CharField(_("street and house number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True, default="NL")
    phone = PhoneNumberField(_("phone number"), blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    billing_same_as_address = models.BooleanField(_("billing address is the same as my address"), default=True)
    billing_name = models.CharField(_("billing name"), max_length=200, blank=True)
    billing_street = models.CharField(_("billing street and house number"), max_length=200, blank=True)
    billing_postal_code = models.CharField(_("billing postal code"), max_length=16, blank=True)
    billing_town = models.CharField(_("billing town"), max_length=100, blank=True)
    billing_country = CountryField(_("billing country"), blank=True)
    photo = models.ImageField(_("profile photo"), upload_to=photo_upload_to, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    @property
    def display_name(self) -> str:
        return self.nickname or self.get_full_name() or self.username

    def billing_address(self) -> dict[str, str]:
        """The address an invoice needs: the billing address, or the home address when they are the same."""
        if self.billing_same_as_address:
            return {
                "name": self.get_full_name(),
                "street": self.street,
                "postal_code": self.postal_code,
                "town": self.town,
                "country": str(self.country or ""),
            }
        return {
            "name": self.billing_name or self.get_full_name(),
            "street": self.billing_street,
            "postal_code": self.billing_postal_code,
            "town": self.billing_town,
            "country": str(self.billing_country or ""),
        }

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ActivityQuerySet(models.QuerySet):
    def for_user(self, user: User) -> "ActivityQuerySet":
        return self.filter(user=user).select_related("actor")


class Activity(models.Model):
    """One action of a customer in the portal, kept as evidence (C07).

    ``detail`` names what changed (field names, ids) and never holds the old values.  ``actor`` is
    set when a staff member acted on the customer's behalf.
    """

    class Action(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        LOGGED_IN = "logged_in", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login attempt")
        LOGGED_OUT = "logged_out", _("Logged out")
        EMAIL_CONFIRMED = "email_confirmed", _("Email address confirmed")
        EMAIL_CHANGED = "email_changed", _("Email address changed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        PROFILE_CHANGED = "profile_changed", _("Profile changed")
        PHOTO_CHANGED = "photo_changed", _("Profile photo changed")
        PHOTO_REMOVED = "photo_removed", _("Profile photo removed")
        MFA_ADDED = "mfa_added", _("Two-factor authentication added")
        MFA_REMOVED = "mfa_removed", _("Two-factor authentication removed")
        MFA_CODES_RESET = "mfa_codes_reset", _("Recovery codes regenerated")
        SESSIONS_ENDED = "sessions_ended", _("Other sessions logged out")
        LANGUAGE_CHANGED = "language_changed", _("Language changed")
        PASSWORD_RESET_SENT = "password_reset_sent", _("Password-reset email sent by staff")
        BREAK_GLASS = "break_glass", _("Superuser action (break-glass)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    action = models.CharField(_("action"), max_length=40, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by staff member"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="activity_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def get_action_display(self) -> str:
        from accounts import activity

        return activity.label(self.action)
