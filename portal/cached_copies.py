"""Cache calls for what is only ever a copy: a cache that fails answers "not cached" and the page goes on.

The Redis cache of the portal already fails open (``netrex/redis_cache.py``); these helpers also cover any
other backend (the file cache of ``make run``), and hold the one pattern of cached copies that are
renewed by changing generation tokens (``get_or_make``): an entry stores the tokens it was made
under and is used only while they are unchanged.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("cache: get_many failed; answering from the database", exc_info=True)
        return {}


def set(key: str, value, timeout) -> None:  # noqa: A001 - the cache's own name
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("cache: set failed", exc_info=True)


def delete(*keys: str) -> None:
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("cache: delete failed", exc_info=True)


def generation(key: str) -> str | None:
    """The token under ``key``, started when missing; ``None`` when the cache cannot be reached."""
    try:
        cache.add(key, uuid.uuid4().hex, None)
        return cache.get(key)
    except Exception:
        logger.warning("cache: generation %s unavailable", key, exc_info=True)
        return None


def renew(key: str) -> None:
    """A new token under ``key``: every copy made under the old one is stale.

    When the cache cannot be reached the old token may survive: the copies then live until their
    own timeout, which is why every such copy has one.
    """
    try:
        cache.set(key, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("cache: could not renew %s", key, exc_info=True)


def get_or_make(key: str, generation_keys: list[str], make, timeout):
    """The copy under ``key`` while every generation token it was made under is unchanged, else ``make()``.

    Missing tokens are started before ``make()`` runs, so a change that renews one while the copy
    is being made leaves the copy stale, never current.  When the cache cannot be reached, ``make()``
    answers every time.
    """
    found = get_many([*generation_keys, key])
    tokens = tuple(found.get(name) for name in generation_keys)
    entry = found.get(key)
    if entry is not None and None not in tokens and entry[0] == tokens:
        return entry[1]
    tokens = tuple(token or generation(name) for token, name in zip(tokens, generation_keys, strict=True))
    value = make()
    if None not in tokens:
        set(key, (tokens, value), timeout)
    return value


def renew_now_and_on_commit(key: str) -> None:
    """Renew the generation ``key`` at once and again when the current transaction commits.

    At once, so the changing request (and a test inside one transaction) sees its change; after the
    commit, so a copy another request made from the old rows in between is dropped too.
    """
    renew(key)
    transaction.on_commit(lambda: renew(key))


def delete_now_and_on_commit(*keys: str) -> None:
    """Drop the copies under ``keys`` at once and again when the current transaction commits (see above)."""
    delete(*keys)
    transaction.on_commit(lambda: delete(*keys))
