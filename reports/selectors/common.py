"""What every report is made of: a period, a chart, and tables that hold the chart's numbers.

A report is plain data. The page renders its tables and the CSV export writes the very same
tables, so what is downloaded is exactly what is shown.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from programs.selectors.impact import MONTH_ABBREVIATIONS, period_in_words

# A table cell: a label or note (str), a count (int), an amount, a median or a rate (Decimal),
# or nothing to show (None, "—" on the page and an empty cell in the CSV).
Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    # A last row of totals, or empty.
    footer: list[Cell] = field(default_factory=list)
    # Said under the table when it has no rows.
    empty: str = "Nothing in this period."


@dataclass(frozen=True)
class Chart:
    title: str
    points: list[tuple[str, int]]


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    start: dt.date
    end: dt.date
    chart: Chart
    tables: list[Table]
    # How the figures are defined, in the librarian's words: shown under the heading.
    definitions: list[str] = field(default_factory=list)

    @property
    def period_in_words(self) -> str:
        return period_in_words(self.start, self.end)


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight at the start of `start` and after `end`: [lo, hi) in aware datetimes."""
    zone = timezone.get_current_timezone()
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min), zone)
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), zone)
    return lo, hi


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month the period touches, in order."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [dt.date(n // 12, n % 12 + 1, 1) for n in range(first, last + 1)]


def month_label(month: dt.date) -> str:
    return f"{MONTH_ABBREVIATIONS[month.month - 1]} {month.year}"


def quarters(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every quarter the period touches, in order."""
    return sorted({quarter_of(month) for month in months(start, end)})


def quarter_of(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(quarter: dt.date) -> str:
    return f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}"


def as_local_date(value: dt.date | dt.datetime) -> dt.date:
    """A Trunc* result as a local date: PostgreSQL gives aware datetimes, dates stay dates."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def one_decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    return one_decimal(100 * part / whole) if whole else None
