"""The "my questions" panel on the dashboard: shown only to customers who sent a request."""

from contact import selectors
from portal.dashboard import Panel


def requests_panel(user) -> Panel | None:
    recent = list(selectors.requests_of(user=user)[:3])
    if not recent:
        return None
    return Panel("contact/panel.html", {"recent": recent}, order=60)
