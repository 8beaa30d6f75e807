"""The newsletter and advertising panel on the account dashboard (C19, C27: "through the account")."""

from newsletter import selectors
from newsletter.forms import PreferencesForm
from portal.dashboard import Panel


def preferences_panel(user) -> Panel | None:
    if not user.is_authenticated:
        return None
    preferences = selectors.preferences_for(user=user)
    form = PreferencesForm(initial=PreferencesForm.initial_from(preferences))
    return Panel("newsletter/panel.html", {"form": form, "preferences": preferences}, order=40)
