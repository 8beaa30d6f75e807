"""Panels on the customer's dashboard.

Each app that has something to show the customer on the dashboard registers a panel from its
``AppConfig.ready``: a callable that takes the user and returns the template to include and its
context, or ``None`` when it has nothing to show.  A panel runs a bounded number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]
    order: int = 100


PanelFactory = Callable[[Any], Panel | None]
_factories: list[PanelFactory] = []


def register(factory: PanelFactory) -> PanelFactory:
    if factory not in _factories:
        _factories.append(factory)
    return factory


def panels_for(user) -> list[Panel]:
    panels = [panel for factory in _factories if (panel := factory(user)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
