"""A cache that survives an outage of the shared one (Redis): it falls back to the database.

Sign-in throttling must keep its limit and must never turn a Redis outage into a 500, so the
throttles read and write their counters through `resilient_cache`: the `default` cache while
it answers, the `fallback` database cache (shared by every worker too) while it does not.
"""

import logging

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

FALLBACK_ALIAS = "fallback"
FALLBACK_TABLE = "hospital_cache_fallback"


class ResilientCache:
    """The `get`/`set`/`add`/`delete` of the default cache, or of the fallback when it fails."""

    def __init__(self, primary: str = "default", fallback: str = FALLBACK_ALIAS):
        self.primary = primary
        self.fallback = fallback

    def _call(self, method: str, *args, **kwargs):
        try:
            return getattr(caches[self.primary], method)(*args, **kwargs)
        except Exception:
            if self.fallback not in settings.CACHES or self.fallback == self.primary:
                raise
            logger.warning("cache %r is unavailable; using %r", self.primary, self.fallback,
                           exc_info=True)
            return getattr(caches[self.fallback], method)(*args, **kwargs)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)

    def add(self, key, value, timeout=None):
        return self._call("add", key, value, timeout)

    def delete(self, key):
        return self._call("delete", key)


resilient_cache = ResilientCache()


def cache_status(alias: str = "default") -> str:
    """`ok` when the cache stores and returns a value, `unreachable` otherwise."""
    try:
        cache = caches[alias]
        cache.set("health:probe", "ok", 10)
        return "ok" if cache.get("health:probe") == "ok" else "unreachable"
    except Exception:
        logger.warning("cache %r is unavailable", alias, exc_info=True)
        return "unreachable"
