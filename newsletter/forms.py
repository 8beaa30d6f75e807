"""Forms of the newsletter app, including the sign-up form that shows the newsletter opt-out (C20)."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from newsletter.models import Channel

# Raised whenever the wording of the sign-up choices changes: each consent record names the version it was given on.
SIGNUP_TEXT_VERSION = "signup-2026-1"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus every choice the privacy statement's purposes need, none of them ticked.

    Profiling (P3) and advertising on social media rest on consent: a box the customer ticks to opt in.
    The newsletter (P7) and advertising by email and phone rest on the customer exception of the
    Telecommunicatiewet (art. 11.7 lid 3): a clear box to opt out, here at sign-up and in every message.
    Every choice is recorded, also "no", with this form's text version (``SIGNUP_TEXT_VERSION``).
    """

    profiling_opt_in = forms.BooleanField(
        label=_("Yes, you may combine my data to build a profile and show me relevant information"),
        required=False,
        help_text=_("Only with this tick. You can withdraw it at any time under “My privacy”."),
    )
    advertising_social_opt_in = forms.BooleanField(
        label=_("Yes, you may show me advertising on social media"),
        required=False,
        help_text=_("Only with this tick. You can withdraw it at any time under “My privacy”."),
    )
    newsletter_opt_out = forms.BooleanField(
        label=_("I don't want to receive the newsletter"),
        required=False,
        help_text=_(
            "As a customer you receive our newsletter about our own products and services unless you tick this "
            "(Telecommunicatiewet art. 11.7). Every newsletter has an unsubscribe link."
        ),
    )
    advertising_opt_out = forms.BooleanField(
        label=_("I don't want advertising by email or phone"),
        required=False,
        help_text=_(
            "As a customer we may tell you about offers by email and phone unless you tick this "
            "(Telecommunicatiewet art. 11.7). You can object at any time."
        ),
    )

    CHOICES = ("profiling_opt_in", "advertising_social_opt_in", "newsletter_opt_out", "advertising_opt_out")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.CHOICES:  # last, below the passwords
            self.fields[name] = self.fields.pop(name)

    def save(self, request):
        from newsletter.services import signup_choices_record

        user = super().save(request)
        data = self.cleaned_data
        signup_choices_record(
            user=user,
            profiling=bool(data.get("profiling_opt_in")),
            newsletter=not data.get("newsletter_opt_out"),
            advertising_email_phone=not data.get("advertising_opt_out"),
            advertising_social=bool(data.get("advertising_social_opt_in")),
            text_version=SIGNUP_TEXT_VERSION,
            request=request,
        )
        return user


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    # A honeypot: hidden from people by the stylesheet, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class PreferencesForm(forms.Form):
    newsletter = forms.BooleanField(label=_("Send me the newsletter"), required=False)
    advertising_email = forms.BooleanField(label=_("Advertising by email"), required=False)
    advertising_social = forms.BooleanField(label=_("Advertising on social media"), required=False)
    advertising_phone = forms.BooleanField(label=_("Advertising by phone"), required=False)

    @classmethod
    def initial_from(cls, preferences: dict) -> dict:
        initial = {"newsletter": preferences["newsletter"]}
        for channel in Channel.values:
            initial[f"advertising_{channel}"] = preferences["advertising"][channel]
        return initial
