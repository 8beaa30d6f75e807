"""Who gets through Mollie's webhook to ``payment_sync``, and how often.

The webhook is public and unauthenticated: anyone can post anything as ``id``.  Only an id of Mollie's own
format (``gateway.is_payment_id``) is ever looked up.  A payment the portal knows is always processed,
however much its source posted: a real payment is never turned away.  Everything else (ids we do not know,
which may be a recurring payment Mollie made on its own or a prober's guess, and malformed posts) counts
against a fixed window per source IP; beyond ``LIMIT`` posts in ``WINDOW`` seconds the answer is 429, which
Mollie retries later.  The counters live in the shared cache, which fails open: while Redis is down nothing
is limited.
"""

import time

from django.core.cache import cache

from payments.models import Payment

LIMIT = 120
WINDOW = 60


def payment_known(mollie_id: str) -> bool:
    return Payment.objects.filter(mollie_id=mollie_id).exists()


def rate_limited(ip: str | None) -> bool:
    """Count one post from ``ip`` that is not about a known payment; ``True`` beyond ``LIMIT`` in this window."""
    key = f"payments:webhook:{ip or '-'}:{int(time.time() // WINDOW)}"
    if cache.add(key, 1, timeout=WINDOW * 2):
        return False
    try:
        return cache.incr(key) > LIMIT
    except ValueError:  # gone between add and incr (or the cache failed open)
        return False
