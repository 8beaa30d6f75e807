import re
from typing import Any, cast

import dns.exception
import dns.name
from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import MAX_QUANTITY, Product
from orders.services import extension_message
from portal import targets

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


QUANTITY_MESSAGES = {
    "required": _("Enter a quantity."),
    "invalid": _("Enter the quantity as a whole number."),
    "min_value": _("The quantity must be at least 1."),
    "max_value": _("You can order at most %(limit_value)s of one product at a time."),
}


def quantity_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1, error_messages=QUANTITY_MESSAGES
    )


class TargetChoiceField(forms.ChoiceField):
    """One of the customer's hosting packages or domains (``portal.targets``); anything else is refused."""

    def __init__(self, *, user, **kwargs) -> None:
        self.targets = {target.ref: target for target in targets.targets_for(user)}
        super().__init__(
            label=_("For"),
            choices=[(ref, target.label) for ref, target in self.targets.items()],
            error_messages={
                "required": _("Choose the hosting package or domain this is for."),
                "invalid_choice": _("Choose one of your own hosting packages or domains."),
            },
            **kwargs,
        )

    def clean(self, value):
        ref = super().clean(value)
        return self.targets.get(ref) if ref else None


class CartAddForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), widget=forms.HiddenInput)
    quantity = quantity_field()
    domain = forms.CharField(label=_("Domain name"), max_length=253, required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(active=True, kind__in=CART_KINDS)  # type: ignore[attr-defined]
        self.fields["product"].error_messages["invalid_choice"] = _("This product cannot be ordered.")
        self.fields["target"] = TargetChoiceField(user=user, required=False)
        self.signed_in = user is not None and user.is_authenticated

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
        if product.kind == Product.Kind.DOMAIN and domain and "domain" not in self.errors:
            if not product.sells_domain(domain):
                self.add_error("domain", extension_message(product))
            elif problem := targets.domain_problem(domain):
                self.add_error("domain", problem)
        self._clean_target(product, data)
        return data

    def _clean_target(self, product: Product, data: dict[str, Any]) -> None:
        target = data.get("target")
        if not product.takes_target:
            if target is not None:
                self.add_error("target", _("This product is not bought for a hosting package or domain."))
            return
        if "target" in self.errors:
            return
        if not self.signed_in:
            self.add_error(
                None,
                _("Log in first: %(product)s is bought for one of your hosting packages or domains.")
                % {"product": product.display_name},
            )
        elif target is None:
            self.add_error("target", _("Choose the hosting package or domain this is for."))
        elif data.get("quantity", 1) != 1:
            self.add_error("quantity", _("A product for one package or domain is bought once: the quantity is 1."))


class CartQuantityForm(forms.Form):
    quantity = quantity_field()


class AddonTargetForm(forms.Form):
    """The add-on page: which of the customer's hosting packages or domains the add-on is for."""

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"] = TargetChoiceField(user=user)


class TokenForm(forms.Form):
    """A confirmation form carrying a one-time token, so a double submit has no double effect."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
