"""Personal data held by the statistics app (P3).  ``PageView`` holds none (C09)."""

from privacy.declarations import Declaration, Erase, register
from privacy.register import Event
from stats.models import ProfilingEvent, ProfilingObjection

register(
    Declaration(
        model=ProfilingEvent,
        purpose="P3",
        fields=("email", "ip_address", "path", "created_at"),
        owner="user",
        rule="profiling_recorded",
        clock="created_at",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Profiling (pages you viewed)",
    ),
    Declaration(
        model=ProfilingObjection,
        purpose="P3",
        fields=("created_at",),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Objection to profiling",
    ),
)
