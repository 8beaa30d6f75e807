"""Forms of the accounts app: they validate input and hand clean data to the services."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import PROFILE_FIELDS

DUTCH_POSTAL_CODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")
MIN_AGE = 16
MAX_AGE = 120


def normalise_postal_code(value: str, country: str) -> str:
    """Dutch postal codes are checked and written as ``1234 AB``; other countries' are kept as typed."""
    value = (value or "").strip()
    if not value:
        return ""
    if str(country or "") == "NL":
        match = DUTCH_POSTAL_CODE.match(value)
        if not match or match.group(1).startswith("0"):
            raise ValidationError(_("Enter a Dutch postal code like 3441 EM."), code="postal_code")
        return f"{match.group(1)} {match.group(2).upper()}"
    if len(value) > 16:
        raise ValidationError(_("This postal code is too long."), code="postal_code")
    return value


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PROFILE_FIELDS
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "nickname": "nickname",
            "street": "address-line1",
            "postal_code": "postal-code",
            "town": "address-level2",
            "country": "country",
            "birth_date": "bday",
            "gender": "sex",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].help_text = _("For example 06 12345678 or +32 470 12 34 56.")
        self.fields["phone"].error_messages["invalid"] = _("Enter a valid phone number, for example 06 12345678.")

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born is None:
            return None
        today = timezone.localdate()
        if born > today - datetime.timedelta(days=365 * MIN_AGE + MIN_AGE // 4):
            raise ValidationError(_("You must be at least %(age)d years old.") % {"age": MIN_AGE})
        if born < today.replace(year=today.year - MAX_AGE):
            raise ValidationError(_("Enter a birth date after %(year)d.") % {"year": today.year - MAX_AGE})
        return born

    def clean(self):
        data = super().clean()
        for code_field, country_field in (("postal_code", "country"), ("billing_postal_code", "billing_country")):
            if code_field in data:
                try:
                    data[code_field] = normalise_postal_code(data[code_field], data.get(country_field))
                except ValidationError as error:
                    self.add_error(code_field, error)
        if not data.get("billing_same_as_address") and not data.get("billing_street"):
            self.add_error("billing_street", _("Enter the billing address, or tick 'same as my address'."))
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Profile photo"),
        help_text=_("JPEG, PNG, WebP or GIF. We remove location data and other metadata."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )


class OptionalFieldClearForm(forms.Form):
    field = forms.ChoiceField(choices=[])

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(name, name) for name in fields]


class AccountCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my data are deleted now and cannot be restored."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to close your account.")},
    )
