"""A Redis cache that an outage of Redis cannot turn into an error page.

Everything this project keeps in the cache can be recomputed from the database, so while Redis
cannot be reached each operation behaves as it would on an empty cache that keeps nothing
(Django's dummy cache): reads miss, writes do nothing, and ``add`` succeeds so that whoever
asked for a lock (a page render, allauth's rate limits) goes ahead instead of waiting for one
that can never be granted. Rate limits therefore stop counting during an outage rather than
refusing everyone.

The outage is logged once when it starts and once when it ends. After a failure the backend
leaves Redis alone for a few seconds, so a page that reads the cache ten times does not wait
on ten failed connections.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ForgivingRedisCache(RedisCache):
    retry_after = 5.0  # seconds without trying Redis after it failed

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._down = False

    def _call(self, name: str, fallback, *args, **kwargs):
        if self._down and time.monotonic() < self._down_until:
            return fallback
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            if not self._down:
                logger.warning(
                    "The cache cannot be reached (%r); pages are served from the database "
                    "until it is back.",
                    error,
                )
            self._down = True
            self._down_until = time.monotonic() + self.retry_after
            return fallback
        if self._down:
            self._down = False
            logger.warning("The cache is reachable again.")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found.")  # what an empty cache answers
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
