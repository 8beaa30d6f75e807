from django import forms
from django.utils.translation import gettext_lazy as _

from rights.models import RightsRequest

MESSAGE_MAX = 2000


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you want to ask?"), choices=RightsRequest.Kind.choices)
    email = forms.EmailField(
        label=_("Email address the data belongs to"),
        help_text=_("We send a confirmation link to this address; your request exists only once you follow it."),
    )
    message = forms.CharField(
        label=_("Explain your request"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a correction: what is wrong and what it should be."),
    )
    item_reference = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, with_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_email:
            del self.fields["email"]


class ConfirmForm(forms.Form):
    """An empty form: the confirmation link shows a button so that mail scanners opening links file nothing."""


class RequestActionForm(forms.Form):
    """The privacy officer's next step on a request, in the admin."""

    ACTIONS = [
        ("", "—"),
        ("start", _("Start handling")),
        ("extend", _("Extend the deadline")),
        ("note", _("Add a note")),
        ("complete", _("Complete")),
        ("reject", _("Decline")),
    ]
    action = forms.ChoiceField(label=_("Next step"), choices=ACTIONS, required=False)
    months = forms.TypedChoiceField(
        label=_("Extend by"), choices=[(1, _("1 month")), (2, _("2 months"))], coerce=int, required=False
    )
    note = forms.CharField(
        label=_("Note or reason (sent to the requester for an extension or a refusal)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
