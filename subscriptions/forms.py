"""The subscribe form: the plan runs for one of the customer's packages, or for a new domain."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.targets import Target

NEW = "new"


class SubscribeForm(forms.Form):
    """Which target; the rules (is it still theirs, is the domain free) are the service's, not the form's."""

    target = forms.ChoiceField(label=_("For"), widget=forms.RadioSelect)
    domain = forms.CharField(
        label=_("New domain name"),
        max_length=253,
        required=False,
        help_text=_("For example mijnwebsite.nl. We set up a new hosting package for it."),
    )

    def __init__(self, *args, targets: list[Target], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(target.ref, target.label) for target in targets]
        choices.append((NEW, _("A new hosting package for a new domain")))
        field = self.fields["target"]
        field.choices = choices  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = _("Choose one of your packages in the list, or a new domain.")
        field.error_messages["required"] = _("Choose what this plan is for.")
        if len(choices) == 1:
            self.initial.setdefault("target", NEW)

    def target_and_domain(self) -> tuple[str, str]:
        """What the service gets: ``(target_ref, "")`` or ``("", domain)``."""
        target = self.cleaned_data["target"]
        if target == NEW:
            return "", self.cleaned_data.get("domain", "")
        return target, ""
