"""Periods of time as a librarian reports them: months, quarters, quick choices, local days.

One home for the calendar arithmetic that the impact summary, the reports, progress updates
and staff email share. A period is two dates, both inclusive; its instants are the local
midnights at its start and after its end, so a day is 23 or 25 hours long across a DST change.
"""

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

# Fixed English names: a period reads the same in a page, a PDF and an email.
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
MONTH_ABBREVIATIONS = [name[:3] for name in MONTH_NAMES]


def period_in_words(start: dt.date, end: dt.date) -> str:
    """“March 5, 2026”, “March 1–31, 2026”, “January 1 – June 30, 2026”, or across years."""

    def day(d: dt.date, year: bool = True) -> str:
        text = f"{MONTH_NAMES[d.month - 1]} {d.day}"
        return f"{text}, {d.year}" if year else text

    if start == end:
        return day(start)
    if start.year != end.year:
        return f"{day(start)} – {day(end)}"
    if start.month != end.month:
        return f"{day(start, year=False)} – {day(end)}"
    return f"{MONTH_NAMES[start.month - 1]} {start.day}–{end.day}, {end.year}"


def local_bounds(
    start: dt.date, end: dt.date, zone: zoneinfo.ZoneInfo | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """Midnight at the start of `start` and after `end` in `zone` (default: the current time
    zone): the period as [lo, hi) in aware datetimes."""
    zone = zone or timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return lo, hi


def as_local_date(value: dt.date | dt.datetime) -> dt.date:
    """A Trunc* result as a local date: PostgreSQL gives aware datetimes, dates stay dates."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month the period touches, in order."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [dt.date(n // 12, n % 12 + 1, 1) for n in range(first, last + 1)]


def month_label(month: dt.date) -> str:
    """“Mar 2026”."""
    return f"{MONTH_ABBREVIATIONS[month.month - 1]} {month.year}"


def quarter_of(day: dt.date) -> dt.date:
    """The first day of the calendar quarter `day` is in."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarters(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every quarter the period touches, in order."""
    return sorted({quarter_of(month) for month in months(start, end)})


def quarter_label(quarter: dt.date) -> str:
    """“Q2 2026”."""
    return f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}"


def quick_periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The period picker's shortcuts: (label, start, end), as of `today` (a local date)."""
    this_quarter = quarter_of(today)
    last_quarter = quarter_of(this_quarter - dt.timedelta(days=1))
    # Whole months, so a monthly chart shows twelve full bars and this month so far.
    eleven_back = today.year * 12 + today.month - 1 - 11
    twelve_months = dt.date(eleven_back // 12, eleven_back % 12 + 1, 1)
    return [
        ("This year", dt.date(today.year, 1, 1), today),
        ("Last year", dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
        ("Last 12 months", twelve_months, today),
        ("This quarter", this_quarter, today),
        ("Last quarter", last_quarter, this_quarter - dt.timedelta(days=1)),
    ]


def quick_period_links(
    today: dt.date,
    chosen: tuple[dt.date, dt.date] | None,
    query: Mapping[str, Any] | None = None,
    first_choices: list[tuple[str, dt.date, dt.date]] | None = None,
) -> list[dict[str, Any]]:
    """The shortcuts as links for core/partials/quick_periods.html: each keeps `query` (what
    the page is about), `first_choices` (a program's own dates) come before the usual ones,
    and the first one matching the `chosen` period is marked current. Only one is: in
    December “This year” and “Last 12 months” are the same days, in the first quarter “This
    year” and “This quarter”."""
    links = []
    current_found = False
    for label, first, last in [*(first_choices or []), *quick_periods(today)]:
        current = not current_found and chosen == (first, last)
        current_found = current_found or current
        links.append(
            {
                "label": label,
                "query": urlencode(
                    {**(query or {}), "start": first.isoformat(), "end": last.isoformat()}
                ),
                "current": current,
            }
        )
    return links
