"""Labels of activity-log actions.

Every app that writes to the activity log registers its own actions (a ``TextChoices`` class) here
from its ``AppConfig.ready``, so the log can show any action in the reader's language without the
accounts app knowing the other apps.
"""

from django.db.models import TextChoices

_labels: dict[str, object] = {}


def register_labels(choices: type[TextChoices]) -> None:
    _labels.update(dict(choices.choices))


def label(action: str) -> str:
    return str(_labels.get(action, action.replace("_", " ")))


def choices() -> list[tuple[str, str]]:
    return sorted(((key, str(value)) for key, value in _labels.items()), key=lambda item: item[1])
