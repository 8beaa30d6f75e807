from django import forms
from django.utils.translation import gettext_lazy as _


class AccountCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my data are deleted now and cannot be restored."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to close your account.")},
    )
