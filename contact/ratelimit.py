"""A fixed-window rate limit on Django's cache (Redis in production), for the public forms."""

from django.conf import settings
from django.core.cache import cache


def rate_limited(action: str, key: str) -> bool:
    """Count one attempt of ``action`` by ``key``; ``True`` once more than the allowed attempts were made."""
    limit = settings.CONTACT_RATE_LIMIT_COUNT
    window = settings.CONTACT_RATE_LIMIT_SECONDS
    cache_key = f"ratelimit:{action}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return False
    return count > limit
