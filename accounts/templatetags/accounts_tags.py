"""Template helpers of the accounts app."""

from django import template
from django.core.exceptions import FieldDoesNotExist

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
