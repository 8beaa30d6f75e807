"""Forms of the newsletter app, including the sign-up form that shows the newsletter opt-out (C20)."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from newsletter.models import Channel


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus the newsletter choice, unchecked: the address is added unless opted out."""

    newsletter_opt_out = forms.BooleanField(
        label=_("I don't want to receive the newsletter"),
        required=False,
        help_text=_(
            "Without this tick we add your email address to our newsletter list; you can unsubscribe at any time."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["newsletter_opt_out"] = self.fields.pop("newsletter_opt_out")  # last, below the passwords

    def save(self, request):
        from newsletter.services import subscriber_signup

        user = super().save(request)
        subscriber_signup(user=user, opted_out=self.cleaned_data.get("newsletter_opt_out", False), request=request)
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
