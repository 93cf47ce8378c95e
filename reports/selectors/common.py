"""What every report is made of: a period, a chart, and tables that hold the chart's numbers.

A report is plain data. The page renders its tables and the CSV export writes the very same
tables, so what is downloaded is exactly what is shown.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.periods import period_in_words

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


def one_decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    return one_decimal(100 * part / whole) if whole else None
