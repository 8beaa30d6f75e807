"""Template helpers of the accounts app."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from accounts.models import User

register = template.Library()


@register.filter
def field_labels(names) -> str:
    """The profile fields named in an activity-log entry, as the customer reads them."""
    labels = []
    for name in names or ():
        try:
            labels.append(str(User._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(str(name))
    return ", ".join(labels)


# Checked in this order: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


@register.filter
def device(user_agent: str | None) -> str:
    """A short, readable name for a session's browser and system ("Firefox on Linux")."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown device")
