"""Forms of the customer's service pages: they collect input; the services validate and apply it."""

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hosting.models import Backup, DnsRecord


class DomainProofMixin:
    """A form whose domain can be refused as not the customer's: ``domain_proof`` is then the TXT record
    (``hosting.domains.Proof``) that would prove it, shown with the form."""

    domain_proof = None


class AliasForm(DomainProofMixin, forms.Form):
    name = forms.CharField(label=_("Domain name"), max_length=253, help_text=_("For example: www.example.com"))


class DnsRecordForm(DomainProofMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=253,
        required=False,
        help_text=_("“@” or empty for the domain itself, “www” for www.your-domain."),
    )
    rtype = forms.ChoiceField(label=_("Type"), choices=DnsRecord.Type.choices)
    value = forms.CharField(
        label=_("Value"),
        max_length=1000,
        help_text=_("For example 192.0.2.1 (A), “10 mail.example.com” (MX) or text (TXT)."),
    )
    ttl = forms.IntegerField(label=_("TTL (seconds)"), initial=3600)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ttl"].min_value = settings.SERVICES_DNS_TTL_MIN
        self.fields["ttl"].max_value = settings.SERVICES_DNS_TTL_MAX
        self.fields["ttl"].widget.attrs.update(min=settings.SERVICES_DNS_TTL_MIN, max=settings.SERVICES_DNS_TTL_MAX)


class ForwarderForm(DomainProofMixin, forms.Form):
    local_part = forms.CharField(label=_("Address"), max_length=64, help_text=_("The part before the @, e.g. info."))
    domain = forms.ChoiceField(label=_("Domain"))
    destination = forms.CharField(label=_("Forward to"), max_length=254, help_text=_("An email address."))

    def __init__(self, *args, domains: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [(d, d) for d in domains]


class PhpForm(forms.Form):
    version = forms.ChoiceField(label=_("PHP version"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(v, f"PHP {v}") for v in settings.SERVICES_PHP_VERSIONS]


class HttpsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Serve the website over HTTPS with a certificate"), required=False)


class RestoreForm(forms.Form):
    backup = forms.ModelChoiceField(label=_("Backup"), queryset=Backup.objects.none(), empty_label=None)
    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    confirm = forms.BooleanField(label=_("I understand that the current website is replaced by this backup."))

    def __init__(self, *args, service, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["backup"].queryset = service.backups.all()
