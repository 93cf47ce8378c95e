"""What every report is made of: a period, a chart, and tables that hold the chart's numbers.

A report is plain data. The page renders its tables and the CSV export writes the very same
tables, so what is downloaded is what is shown. A list that grows with the data (partners gone
quiet, exits and their reasons) shows ROWS_SHOWN of its rows on the page, says how many there
are in all, and links to the CSV, which always holds every row.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection

from core.periods import period_in_words


class Link(str):
    """A name that leads to its page (an organization's): a link on the page, the name in the
    CSV. A str, so it compares, sorts and writes as the name it is."""

    url: str

    def __new__(cls, text: str, url: str) -> "Link":
        link = super().__new__(cls, text)
        link.url = url
        return link

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return str(self), self.url  # kept reports are pickled


class Placeholder(str):
    """Words standing in for what is not there ("Nobody", "Never"): muted on the page, the same
    words in the CSV."""


# A table cell: a label or note (str), a count (int), an amount, a median or a rate (Decimal),
# a day (the app's "Dec 4, 2026" on the page, 2026-12-04 in the CSV), or nothing to show (None,
# "—" on the page and an empty cell in the CSV).
Cell = str | int | Decimal | dt.date | None


def is_number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


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
    # When `rows` may be only part of the list (on the page): how many rows the whole list
    # has (the CSV holds them all), and which ones are shown, e.g. "the most recent".
    total: int | None = None
    shown: str = ""

    @property
    def is_part(self) -> bool:
        return self.total is not None and self.total > len(self.rows)

    @property
    def numeric(self) -> list[bool]:
        """Per column, whether it holds numbers (right-aligned, "—" for none) rather than
        words or days; the first column names the rows."""
        return [False] + [
            all(row[i] is None or is_number(row[i]) for row in self.rows)
            for i in range(1, len(self.columns))
        ]


@dataclass(frozen=True)
class Chart:
    title: str
    points: list[tuple[str, int]]
    # Whether the bars add up (events counted), or each is a level of its own (a share).
    totalled: bool = True


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
    # The period as the report names it when not by its dates ("2026" for a year's reviews).
    period_label: str = ""

    @property
    def period_in_words(self) -> str:
        return self.period_label or period_in_words(self.start, self.end)


# How many rows of a long list a report page shows; None (the CSV) means every row.
ROWS_SHOWN = 25


def one_decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    return one_decimal(100 * part / whole) if whole else None


def first_of_month_sql(column: str) -> tuple[str, tuple[Any, ...]]:
    """SQL (and its parameters) for the first day of the month of a date column, in a raw
    query; as_month() reads what it gives."""
    sql, params = connection.ops.date_trunc_sql("month", connection.ops.quote_name(column), ())
    return sql, tuple(params)


def as_month(value: dt.date | str) -> dt.date:
    """A first_of_month_sql() value as a date: PostgreSQL gives midnight UTC (the connection's
    zone) of that day, SQLite text."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value
