"""The activity log's writer (``activity_record``) and the labels of its actions.

Every app that writes to the activity log registers its own actions (a ``TextChoices`` class) here
from its ``AppConfig.ready``, so the log can show any action in the reader's language without the
accounts app knowing the other apps.
"""

from typing import Any

from django.db.models import TextChoices
from django.http import HttpRequest
from django.utils.translation import gettext

from portal.client import client_ip
from portal.models import Activity
from portal.money import money

_labels: dict[str, object] = {}


def register_labels(choices: type[TextChoices]) -> None:
    _labels.update(dict(choices.choices))


def label(action: str) -> str:
    return str(_labels.get(action, action.replace("_", " ")))


def choices() -> list[tuple[str, str]]:
    return sorted(((key, str(value)) for key, value in _labels.items()), key=lambda item: item[1])


def activity_record(
    *,
    user,
    action: str,
    request: HttpRequest | None = None,
    ip_address: str | None = None,
    detail: dict[str, Any] | None = None,
    actor=None,
) -> Activity:
    """Record one action of ``user`` (C07).  ``actor`` is the staff member acting on their behalf, if any."""
    if actor is None and request is not None:
        acting = getattr(request, "user", None)
        if acting is not None and acting.is_authenticated and acting.pk != user.pk:
            actor = acting
    return Activity.objects.create(
        user=user,
        action=str(action),
        ip_address=ip_address or client_ip(request),
        detail=detail or {},
        actor=actor,
    )


def detail_text(detail: dict[str, Any] | None) -> str:
    """An entry's ``detail`` as the reader sees it: its summary, and its ``amount`` written with ``money()``.

    Amounts are stored as numbers (a decimal string such as "9.95", never pre-formatted text) and formatted
    here, in the language active for the reader: "€ 9,95" in Dutch, "€9.95" in English.
    """
    if not detail:
        return ""
    parts = []
    summary = detail.get("summary")
    if summary:
        # A system reason is stored as its catalogue key (English) and shown in the reader's language.
        parts.append(gettext(str(summary)))
    amount = detail.get("amount")
    if amount not in (None, ""):
        try:
            parts.append(money(amount))
        except (ArithmeticError, ValueError, TypeError):  # an old row with text in it is shown as it is
            parts.append(str(amount))
    return " · ".join(parts)
