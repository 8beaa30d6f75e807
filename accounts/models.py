"""The customer (a custom user with the profile of purpose P9) and the activity log (C07, P2)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
    # Made by ``seed_demo`` (development only): demo data is created and aged only for these accounts.
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)

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
