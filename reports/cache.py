"""Report figures kept for a few minutes, as a manager's dashboard tool does ("as of 10:42").

A report reads the whole period's history: at 10,000 partners that is hundreds of milliseconds
of database work, growing with the data. The page keeps what it computed for
LIAISON_REPORT_CACHE_MINUTES (in the cache: Redis in production), says when the figures were
computed, and offers "Refresh now". The CSV is always computed afresh.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from reports.selectors.common import Report

KEY_VERSION = 3  # raise when Report's shape changes, so old pickles are never read


def report_as_of(
    *, slug: str, start: dt.date, end: dt.date, build: Callable[[], Report], refresh: bool
) -> tuple[Report, dt.datetime]:
    """The report for the period and when it was computed: kept, or computed now."""
    # The figures depend on the viewer's day and time zone (periods end "today").
    key = f"report:{KEY_VERSION}:{slug}:{start}:{end}:{timezone.get_current_timezone_name()}"
    key += f":{timezone.localdate()}"
    kept = None if refresh else cache.get(key)
    if kept is not None:
        return kept
    computed = build(), timezone.now()
    cache.set(key, computed, settings.LIAISON_REPORT_CACHE_MINUTES * 60)
    return computed
