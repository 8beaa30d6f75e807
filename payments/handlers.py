"""Who owns a payment, and what happens when its status changes.

The app that starts payments of a ``kind`` (``"order"``, ``"subscription_first"``, ...) registers,
from its ``AppConfig.ready``:

- ``handler(*, payment, previous_status)``: called inside the locked transaction of
  ``payment_sync`` on each real change of status, exactly once per change, up to and including the
  payment's first "paid" and never after it (a payment's effect is applied once).  It writes its own rows
  and queues its side effects (emails, grants, Mollie calls) with ``on_commit``/``delay_on_commit``.
- ``return_url(payment) -> str``: where the customer lands after Mollie's checkout.
- ``adopt(remote) -> (object_id, user) | None``: for payments Mollie creates on its own (the
  recurring payments of a subscription), find the owner of a payment we have never seen.

Any app may also register a *refund effect* (``register_refund_effect``): ``effect(payment, amount)``
returns what refunding ``amount`` of ``payment`` will do in that app (credits taken back, ...), as
``RefundEffect`` lines for finance's confirmation page; ``warning`` marks what finance must know before
confirming (fewer credits left than were bought).  The app does the work itself in its receiver of
``payments.signals.refund_status_changed``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Registration:
    kind: str
    handler: Callable[..., None]
    return_url: Callable[[Any], str] | None = None
    adopt: Callable[[Any], tuple[int, Any] | None] | None = None


@dataclass(frozen=True)
class RefundEffect:
    text: str
    warning: bool = False


_registry: dict[str, Registration] = {}
_refund_effects: list[Callable[[Any, Any], list[RefundEffect]]] = []


def register_refund_effect(effect: Callable[[Any, Any], list[RefundEffect]]) -> None:
    if effect not in _refund_effects:
        _refund_effects.append(effect)


def refund_effects(payment, amount) -> list[RefundEffect]:
    """What refunding ``amount`` of ``payment`` will do, by every app that registered an effect."""
    return [line for effect in _refund_effects for line in effect(payment, amount)]


def register(
    kind: str,
    handler: Callable[..., None],
    *,
    return_url: Callable[[Any], str] | None = None,
    adopt: Callable[[Any], tuple[int, Any] | None] | None = None,
) -> None:
    _registry[kind] = Registration(kind=kind, handler=handler, return_url=return_url, adopt=adopt)


def registration(kind: str) -> Registration | None:
    return _registry.get(kind)


def adopters() -> list[Registration]:
    return [entry for entry in _registry.values() if entry.adopt is not None]


def return_url(payment) -> str:
    entry = _registry.get(payment.kind)
    if entry is not None and entry.return_url is not None:
        return entry.return_url(payment)
    return reverse("accounts:dashboard")
