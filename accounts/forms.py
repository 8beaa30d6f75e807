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


class DatePartsWidget(forms.MultiWidget):
    """A date as three fields, day, month and year (the GOV.UK / NL Design System pattern for a birth date).

    What was typed goes back to the field as ``YYYY-MM-DD``; parts that make no date come back as typed
    (``31-2-1985``), so the field says the date is not valid and the form shows the parts again.
    """

    template_name = "forms/widgets/date_parts.html"
    PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "maxlength": size, "pattern": "[0-9]*", "size": size})
            for _part, _label, size in self.PARTS
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            parts = re.split(r"[-/ ]", value)
            if len(parts) == 3 and len(parts[0]) == 4:  # YYYY-MM-DD
                return [parts[2].lstrip("0"), parts[1].lstrip("0"), parts[0]]
            if len(parts) == 3:
                return parts
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (part, label, _size) in zip(context["widget"]["subwidgets"], self.PARTS, strict=True):
            subwidget["part"] = part
            subwidget["part_label"] = label
        autocomplete = ("bday-day", "bday-month", "bday-year")
        for subwidget, value in zip(context["widget"]["subwidgets"], autocomplete, strict=True):
            subwidget["attrs"]["autocomplete"] = value
        return context

    def value_from_datadict(self, data, files, name):
        if name in data and all(f"{name}_{index}" not in data for index in range(len(self.PARTS))):
            return data.get(name)  # one field (YYYY-MM-DD), as an API client or an older page sends it
        day, month, year = (str(v or "").strip() for v in super().value_from_datadict(data, files, name))
        if not (day or month or year):
            return ""
        if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
            try:
                return datetime.date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                pass
        return f"{day}-{month}-{year}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{index}" not in data for index in range(len(self.PARTS)))

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PROFILE_FIELDS
        widgets = {
            "birth_date": DatePartsWidget(),
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
            if name != "birth_date":  # three parts, each with its own bday-day/-month/-year
                self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["birth_date"].input_formats = ["%Y-%m-%d"]
        self.fields["birth_date"].error_messages["invalid"] = _(
            "Enter a real date: day, month and year, for example 27 3 1985."
        )
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


class PersonalDetailsForm(forms.Form):
    """What sign-up asks besides the log-in details: the name and address an invoice needs (C23).

    allauth builds its sign-up form on this class (``ACCOUNT_SIGNUP_FORM_CLASS``) and calls ``signup``
    once the user exists; the profile page changes or empties every field later (C25).
    """

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    street = forms.CharField(label=_("Street and house number"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16)
    town = forms.CharField(label=_("Town"), max_length=100)
    country = User._meta.get_field("country").formfield()

    field_order = [
        "first_name",
        "last_name",
        "email",
        "username",
        "password1",
        "password2",
        "street",
        "postal_code",
        "town",
        "country",
    ]
    AUTOCOMPLETE = {
        "first_name": "given-name",
        "last_name": "family-name",
        "street": "address-line1",
        "postal_code": "postal-code",
        "town": "address-level2",
        "country": "country",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True
        self.fields["country"].initial = "NL"
        for name, value in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["street"].help_text = _("We put your name and address on your invoices.")

    def clean(self):
        data = super().clean()
        if data.get("postal_code"):
            try:
                data["postal_code"] = normalise_postal_code(data["postal_code"], data.get("country") or "")
            except ValidationError as error:
                self.add_error("postal_code", error)
        return data

    def signup(self, request, user) -> None:
        """Called by allauth once the account exists: the details go on the customer's profile."""
        data = self.cleaned_data
        for name in ("first_name", "last_name", "street", "postal_code", "town", "country"):
            setattr(user, name, data[name])
        user.save(update_fields=["first_name", "last_name", "street", "postal_code", "town", "country"])
