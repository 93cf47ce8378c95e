"""Fixed data sets for the report tests, and a reader for the tables a page shows."""

import datetime as dt
from html.parser import HTMLParser

from partners.models import Organization, StageChange


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    """Noon UTC: the same day in New York, and whole days between two of them."""
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def organization_with_history(
    name: str, *steps: tuple[str, dt.datetime, str], **fields
) -> Organization:
    """An organization and its stage history: (to_stage, changed_at, note) in order."""
    last_stage, last_at = steps[-1][0], steps[-1][1]
    organization = Organization.objects.create(
        name=name, stage=last_stage, stage_changed_at=last_at, **fields
    )
    previous = ""
    for stage, changed_at, note in steps:
        StageChange.objects.create(
            organization=organization,
            from_stage=previous,
            to_stage=stage,
            changed_at=changed_at,
            note=note,
        )
        previous = stage
    return organization


class TableReader(HTMLParser):
    """The text of every cell of every table with an id: {id: [[cell, …], …]} (head included).

    A day reads as its machine-readable <time datetime="2026-02-03">, as the CSV writes it; how
    the page writes it ("Feb 3, 2026") is test_presentation.py's business.
    """

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False
        self._in_time = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and attributes.get("id"):
            self._table = attributes["id"]
            self.tables[self._table] = []
        elif tag == "caption":
            self._in_caption = True
        elif self._table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None and tag == "time":
            self._cell.append(attributes["datetime"] or "")
            self._in_time = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "time":
            self._in_time = False
        elif tag == "tr" and self._row is not None:
            assert self._table is not None  # rows are read inside a table only
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            assert self._row is not None  # cells are read inside a row only
            self._row.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._in_caption and not self._in_time:
            self._cell.append(data)


def shown_tables(html: str) -> dict[str, list[list[str]]]:
    reader = TableReader()
    reader.feed(html)
    return reader.tables
