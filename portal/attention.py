"""What needs the customer's attention: the panel the dashboard opens with, filled by the apps.

An app that knows of something due (an order waiting for payment, the next renewal of a subscription,
a suspended service) or of a fact the customer acts on (the credit balance) registers a source from
its ``AppConfig.ready``: a callable that takes the user and returns a list of ``Item`` in a bounded
number of queries, together with the models it reads.  The kernel does not know the apps: it gathers
the items into one dashboard panel (``portal.dashboard``), which is renewed exactly when a row of a
model some source reads changes, as every other panel.  When nothing is due the panel says so.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from portal import dashboard


@dataclass(frozen=True)
class Item:
    """One line of the panel: ``template`` rendered with ``item`` = ``context``.

    ``due``: something the customer should act on (pay, renew, get a service back); ``False`` for a
    fact shown beside it (the credit balance), which never makes the panel say more than "all is well".
    """

    template: str
    context: dict[str, Any]
    due: bool = True
    order: int = 100


AttentionSource = Callable[[Any], list[Item]]
_sources: list[AttentionSource] = []
_reads: list[str] = []
_appends: list[str] = []


def register(source: AttentionSource, *, reads: Iterable[str], appends: Iterable[str] = ()) -> AttentionSource:
    """Add ``source``; ``reads``/``appends``: as for ``portal.dashboard.register``, of the models it queries."""
    if source not in _sources:
        _sources.append(source)
    for label in reads:
        if label not in _reads:
            _reads.append(label)
    for label in appends:
        if label not in _appends:
            _appends.append(label)
    # The panel reads what all its sources read: registered again with the union, so it renews on each.
    dashboard.register(attention_panel, reads=_reads, appends=_appends)
    return source


def sources() -> list[AttentionSource]:
    return list(_sources)


def items_for(user) -> list[Item]:
    """Every source's items, what is due first, each group in the sources' order."""
    items = [item for source in _sources for item in source(user)]
    return sorted(items, key=lambda item: (not item.due, item.order))


def attention_panel(user) -> dashboard.Panel:
    """The first panel of the dashboard: what is due, and the facts beside it; "all is well" if nothing is due."""
    items = items_for(user)
    return dashboard.Panel(
        "portal/_attention.html",
        {"due": [item for item in items if item.due], "facts": [item for item in items if not item.due]},
        order=0,
    )
