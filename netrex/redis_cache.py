"""The Redis cache, failing open: a stopped Redis slows nothing down and breaks no page.

While Redis cannot be reached, reads answer "not cached", writes are dropped and ``add`` answers
"added", so allauth's rate limits (and its TOTP replay guard), which live in this cache, are not
enforced until Redis is back; every other page works as before.  After a failure the cache does not
try Redis again for ``RETRY_AFTER`` seconds, and a connect timeout and a read timeout (``REDIS_CONNECT_TIMEOUT``,
``REDIS_SOCKET_TIMEOUT``) keep a request from hanging on an unreachable host or on a Redis that accepts
connections but never answers: such a Redis costs a thread one timeout, then ``RETRY_AFTER`` seconds of
nothing.
"""

import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
RETRY_AFTER = 5.0


def _fail_open(name: str, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return method(self, *args, **kwargs)
            except ERRORS as exc:
                if not self._down_until:
                    logger.warning("cache: Redis unreachable, failing open (%s)", exc)
                self._down_until = time.monotonic() + RETRY_AFTER
        return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


def _incr(key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found")  # what Django's cache says for a missing key


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` (and its table of reply callbacks) for every call.

    One ``redis.Redis`` per connection pool is enough: it is thread-safe and takes a connection from
    its pool for each command.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def ping(self) -> bool:
        """Whether Redis answers, asked on a connection of its own (the readiness check).

        The cache's own calls fail open and so cannot tell; this one raises what redis-py raises, within the
        same timeouts.
        """
        timeouts = {name: self._options[name] for name in ("socket_connect_timeout", "socket_timeout")}
        client = redis.Redis.from_url(self._servers[0], **timeouts)
        try:
            return client.ping() is True
        finally:
            client.close()

    get = _fail_open("get", _default)
    get_many = _fail_open("get_many", {})
    has_key = _fail_open("has_key", False)
    add = _fail_open("add", True)
    set = _fail_open("set", None)
    set_many = _fail_open("set_many", [])
    touch = _fail_open("touch", False)
    delete = _fail_open("delete", False)
    delete_many = _fail_open("delete_many", None)
    incr = _fail_open("incr", _incr)
    clear = _fail_open("clear", False)
