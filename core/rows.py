"""Writing a list's rows in Python: what the lists' row tags share.

A list page shows 25 rows of six or seven cells. Through the template engine every variable,
filter and include of a row costs about 10 µs: 5–8 ms a page, most of its time. The same row
written by a function costs a tenth of that. Each list's row tag (partners/templatetags/
partner_lists.py, outreach/templatetags/outreach_lists.py, programs/templatetags/
program_lists.py) is the one home of its row markup, used by the full page and its htmx
fragment alike; everything from the database goes through `escape` (the standard library's:
Django's is wrapped for lazy strings, and three times as slow).
"""

import datetime as dt
import unicodedata
from collections.abc import Iterable
from html import escape

from django.utils import timezone
from django.utils.text import Truncator

from core.periods import MONTH_ABBREVIATIONS

__all__ = [
    "clock",
    "escape",
    "local",
    "month_day",
    "month_year",
    "muted",
    "names",
    "plural",
    "select_box",
    "short_date",
    "shortened",
    "weekday",
]

WEEKDAY_ABBREVIATIONS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def muted(text: str) -> str:
    """A cell's placeholder: “Never”, “None listed” (our own words, not escaped)."""
    return f'<span class="text-body-secondary">{text}</span>'


def plural(count: int, noun: str) -> str:
    """“1 attempt”, “1,204 media files”: a count and its noun (a regular plural)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def month_day(day: dt.date) -> str:
    """“Dec 4”: the date filter's "M j"."""
    return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.day}"


def short_date(day: dt.date) -> str:
    """“Dec 4, 2026”: the date filter's "M j, Y"."""
    return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.day}, {day.year}"


def month_year(day: dt.date) -> str:
    """“Dec 2026”: the date filter's "M Y"."""
    return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def shortened(text: str, length: int) -> str:
    """The truncatechars filter's cut (Truncator.chars), escaped. Most texts fit: those are
    only measured, not walked a character at a time as Truncator does (a tenth of a
    millisecond for a few hundred characters, on every row)."""
    text = unicodedata.normalize("NFC", text)  # as Truncator.chars reads it
    if len(text) > length:
        text = Truncator(text).chars(length)
    return escape(text)


def weekday(day: dt.date) -> str:
    """“Fri”: the date filter's "D"."""
    return WEEKDAY_ABBREVIATIONS[day.weekday()]


def clock(moment: dt.time | dt.datetime) -> str:
    """“2:30 PM”: how Liaison writes a time of day, on every page and in every email (the
    `clock` template filter is this function; Django's "g:i A")."""
    hour = moment.hour % 12 or 12
    half = "PM" if moment.hour >= 12 else "AM"
    return f"{hour}:{moment.minute:02d} {half}"


def local(moment: dt.datetime) -> dt.datetime:
    """An aware datetime in the current time zone, as templates show it."""
    return timezone.localtime(moment)


def names(items: Iterable[str], empty: str = "None") -> str:
    """Names joined by commas, escaped; `empty`, muted, for none."""
    joined = ", ".join(escape(name) for name in items)
    return joined or muted(empty)


# The form the row checkboxes belong to (a list's `selection` panel, core.panels), wherever it
# is on the page: the `form` attribute ties them to it.
SELECTION_FORM = "bulk-selection"


def select_box(pk: int, name: str) -> str:
    """A row's checkbox for the list's selection, labelled “Select <name>” (`name` escaped
    already)."""
    return (
        f'<input class="form-check-input" type="checkbox" name="ids" value="{pk}"'
        f' form="{SELECTION_FORM}" aria-label="Select {name}" data-row-select>'
    )
