"""The sweep's watchdog (D1): ops and the privacy officer hear of a stale or failing sweep, once per problem.

Beat runs ``sweep_check`` hourly (``retention.tasks.sweep_watchdog``).  When the sweep is ``stale`` or ``failed``
(``selectors.sweep_health``) it mails ``ADMINS`` and the privacy officers (``portal.roles``) in one message, unless
it mailed this problem before.  A problem is its state and the last successful sweep (``SweepHealth.problem``): it
stays the same, and so stays quiet, until a sweep succeeds or a stale sweep starts failing.  A fresh installation is
``never-run``, not stale, during its first ``RETENTION_STALE_AFTER_HOURS``: no alarm while it waits for its first
nightly sweep.  The admin's index shows a banner for as long as the problem lasts.

The last problem mailed is remembered in the cache (``ALERT_KEY``, no expiry); a healthy sweep forgets it.  The
cache is shared by every process but not durable: after the cache was flushed or lost, a problem that still lasts is
mailed once more.  While the cache's Redis does not answer (the cache then fails open and would forget every
alert), the alert waits for it instead of going out every hour.

The watchdog runs on beat: a beat that is down cannot alert.  ``/readyz`` reports the same state (``"status":
"degraded"``), so a monitor outside the portal catches that case.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.roles import privacy_officer_addresses
from retention import selectors
from retention.selectors import SweepHealth, SweepState

logger = logging.getLogger(__name__)

ALERT_KEY = "retention:watchdog:alerted"


def alert_recipients() -> list[str]:
    """Ops (``ADMINS``) and the privacy officers, each address once."""
    addresses = [address for _name, address in settings.ADMINS] + privacy_officer_addresses()
    return list(dict.fromkeys(addresses))


def sweep_check(*, now=None) -> str:
    """Alert once if the sweep is stale or failed; returns what happened (for the task's result and the tests)."""
    health = selectors.sweep_health(now=now)
    if not health.alarming:
        cache.delete(ALERT_KEY)
        return str(health.state)
    if not _cache_answers():
        logger.warning("retention watchdog: the sweep is %s; alert postponed until the cache answers", health.state)
        return "postponed"
    if cache.get(ALERT_KEY) == health.problem:
        return "alerted before"
    recipients = alert_recipients()
    if not recipients:
        logger.error("retention watchdog: the sweep is %s and nobody to alert (DJANGO_ADMINS)", health.state)
        return "nobody to alert"
    subject, body = _render(health, now=now or timezone.now())
    from portal.email import branded_message

    branded_message(subject=subject, body=body, to=recipients, from_email=settings.SERVER_EMAIL).send()
    cache.set(ALERT_KEY, health.problem, timeout=None)
    logger.warning("retention watchdog: the sweep is %s; ops and the privacy officer alerted", health.state)
    return "alerted"


def _cache_answers() -> bool:
    ping = getattr(cache, "ping", None)  # the Redis cache (netrex/redis_cache.py); a file cache always answers
    if ping is None:
        return True
    try:
        return bool(ping())
    except Exception:
        return False


def _render(health: SweepHealth, *, now) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        if health.state == SweepState.FAILED:
            subject = _("The retention sweep failed")
        else:
            subject = _("No retention sweep has succeeded for %(hours)d hours") % {
                "hours": settings.RETENTION_STALE_AFTER_HOURS
            }
        body = render_to_string(
            "retention/email/sweep_alert.txt",
            {
                "health": health,
                "hours": settings.RETENTION_STALE_AFTER_HOURS,
                "now": now,
                "runs_url": settings.SITE_URL.rstrip("/") + reverse("admin:retention_retentionrun_changelist"),
            },
        )
    return f"[Netrex] {subject}", body
