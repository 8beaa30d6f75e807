"""The admin's index warns staff while the retention sweep is stale or failing (``templates/admin/index.html``)."""

from django import template
from django.conf import settings

from retention import selectors

register = template.Library()


@register.inclusion_tag("retention/admin/sweep_banner.html")
def retention_sweep_banner() -> dict:
    health = selectors.sweep_health()
    return {"health": health if health.alarming else None, "hours": settings.RETENTION_STALE_AFTER_HOURS}
