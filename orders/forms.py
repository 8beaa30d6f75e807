import re
from typing import Any, cast

import dns.exception
import dns.name
from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import Product
from orders.services import MAX_QUANTITY

CART_KINDS = (Product.Kind.HOSTING, Product.Kind.DOMAIN, Product.Kind.CERTIFICATE, Product.Kind.GOODS)
HOSTNAME = re.compile(r"^(?=.{4,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


def domain_normalise(value: str) -> str:
    """A registrable domain name in its ASCII form (IDNA), or ValidationError."""
    value = value.strip().lower().rstrip(".")
    if value.startswith(("http://", "https://")) or "/" in value or " " in value:
        raise forms.ValidationError(_("Enter only the domain name, for example example.nl."))
    try:
        ascii_name = dns.name.from_unicode(value).to_text(omit_final_dot=True)
    except (dns.exception.DNSException, UnicodeError, ValueError):
        raise forms.ValidationError(_("This is not a valid domain name.")) from None
    if not HOSTNAME.match(ascii_name):
        raise forms.ValidationError(_("This is not a valid domain name."))
    return ascii_name


class CartAddForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1)
    domain = forms.CharField(label=_("Domain name"), max_length=253, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(active=True, kind__in=CART_KINDS)  # type: ignore[attr-defined]
        self.fields["product"].error_messages["invalid_choice"] = _("This product cannot be ordered.")

    def clean_domain(self) -> str:
        value = self.cleaned_data.get("domain", "")
        return domain_normalise(value) if value.strip() else ""

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean() returns cleaned_data
        product = data.get("product")
        if product is None:
            return data
        domain = data.get("domain", "")
        if product.kind == Product.Kind.DOMAIN and not domain and "domain" not in self.errors:
            self.add_error("domain", _("Enter the domain name you want to register."))
        if domain and not product.takes_domain:
            self.add_error("domain", _("Only hosting packages and domain names take a domain name."))
        if domain and data.get("quantity", 1) != 1:
            self.add_error("quantity", _("A line with a domain name is for one domain: the quantity is 1."))
        return data


class TokenForm(forms.Form):
    """A confirmation form carrying a one-time token, so a double submit has no double effect."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
