"""Counting requests per key in Django's cache, for the throttles (password reset).

A fixed window: the first request of a key starts a period; every request in it counts, and
those past the limit are refused until the period ends. Keys are hashed, so no email address is
stored in the cache.
"""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def throttle_hit(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one request for `key`; True when it is over `limit` in `period` seconds."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    try:
        cache.add(cache_key, 0, timeout=period)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the period ended between add() and incr()
            cache.set(cache_key, 1, timeout=period)
            count = 1
    except Exception:  # noqa: BLE001 — a cache that is down must not stop the page
        logger.warning("The %s throttle could not count a request.", scope, exc_info=True)
        return False
    return count > limit
