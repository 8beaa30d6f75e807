from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from contact.models import ContactRequest


class ContactForm(forms.Form):
    """Only the address to answer, a subject and the message are required (P6)."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Email address"), max_length=254, help_text=_("We send our answer to this address.")
    )
    phone = PhoneNumberField(
        label=_("Phone number"), required=False, help_text=_("Optional: if you would rather be called.")
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("Not given"))] + list(ContactRequest.Gender.choices)
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Your question or request"), max_length=5000, widget=forms.Textarea)
    # A honeypot: hidden from people by the stylesheet, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 12, "cols": 80}))


class ReplyForm(forms.Form):
    """The customer's follow-up in their own thread."""

    body = forms.CharField(label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}), strip=True)
