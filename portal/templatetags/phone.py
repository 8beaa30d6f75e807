"""``{{ number|phone }}``: a phone number as people write it.

Dutch numbers in national notation ("06 12345678", "0348 433 886"), others in international notation
("+32 470 12 34 56").  Anything that is not a phone number is returned as it is, so the filter can be
used on a list of mixed values ("my data").
"""

import phonenumbers
from django import template
from django.conf import settings

register = template.Library()


def phone_display(value) -> object:
    if isinstance(value, str) and value.startswith("+"):
        try:
            value = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            return value
    if not isinstance(value, phonenumbers.PhoneNumber):
        return value
    if not phonenumbers.is_valid_number(value):
        return getattr(value, "raw_input", "") or phonenumbers.format_number(value, phonenumbers.PhoneNumberFormat.E164)
    home = getattr(settings, "PHONENUMBER_DEFAULT_REGION", "NL")
    if phonenumbers.region_code_for_number(value) == home:
        return phonenumbers.format_number(value, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(value, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


register.filter("phone", phone_display)
