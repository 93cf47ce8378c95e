"""Sortable columns of the list pages: one helper for every list.

A list declares its columns once, each with the key of its link (?sort=key, ?sort=-key for the
other way) and the order_by() terms of an ascending sort, ties broken down to the primary key so
that no row is on two pages or on none. A column that holds several names (a contact's
organizations, a touchpoint's contacts) is declared with no terms: it has no order of its own,
and its heading is no link.

Each order is one the database reads from an index, or from a table small enough to sort in
well under a millisecond at 10,000 partners (the column's comment says which): a sort never
costs the page a query, only an ORDER BY.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import OrderBy
from django.http import HttpRequest

from core.http import query_without


@dataclass(frozen=True)
class SortColumn:
    """One column: `ascending` its order_by() terms (none: not sortable), `descending` the other
    way (by default each term reversed), `css` its heading's classes."""

    key: str
    label: str
    ascending: tuple[Any, ...] = ()
    descending: tuple[Any, ...] | None = None
    css: str = ""


@dataclass(frozen=True)
class SortHeader:
    """What a column heading shows: a link to sort by it, and whether the list is sorted by it."""

    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or ""
    arrow: str
    css: str


def _reversed(term: Any) -> Any:
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    if isinstance(term, OrderBy):
        flipped = term.copy()
        flipped.reverse_ordering()
        return flipped
    raise TypeError(f"Give the descending order of {term!r} explicitly.")


class Sorting:
    """A list's columns and its default sort (a key, "-key" for descending)."""

    def __init__(self, *columns: SortColumn, default: str) -> None:
        self.columns = columns
        self.default = default
        self._orders: dict[str, tuple[Any, ...]] = {}
        for column in columns:
            if column.ascending:
                self._orders[column.key] = column.ascending
                self._orders[f"-{column.key}"] = column.descending or tuple(
                    _reversed(term) for term in column.ascending
                )
        assert default in self._orders, f"{default} is not a sortable column"

    @property
    def keys(self) -> list[str]:
        return list(self._orders)

    def field(self) -> forms.ChoiceField:
        """The list's filter form's `sort` field: hidden, and a key it does not know is ignored
        (FilterForm), like any stale filter."""
        return forms.ChoiceField(
            choices=[(key, key) for key in self._orders],
            required=False,
            widget=forms.HiddenInput,
        )

    def chosen(self, value: str | None, default: str | None = None) -> str:
        """The sort asked for, or the default (the list's, or `default` for this view of it:
        past meetings newest first) for none or one this list does not have."""
        return value if value in self._orders else default or self.default

    def order_by(self, value: str | None, default: str | None = None) -> tuple[Any, ...]:
        return self._orders[self.chosen(value, default)]

    def headers(
        self, request: HttpRequest, value: str | None, default: str | None = None
    ) -> list[SortHeader]:
        """The headings of the columns, each a link sorting by it (the other way round when the
        list is sorted by it already), keeping the filters and leaving the page number out."""
        sort = self.chosen(value, default)
        query = query_without(request, "page", "sort")
        prefix = f"?{query}&sort=" if query else "?sort="
        headers = []
        for column in self.columns:
            if not column.ascending:
                headers.append(SortHeader(column.label, "", "", "", column.css))
                continue
            url = prefix + (f"-{column.key}" if sort == column.key else column.key)
            direction = {column.key: "ascending", f"-{column.key}": "descending"}.get(sort, "")
            arrow = {"ascending": "▲", "descending": "▼"}.get(direction, "")
            headers.append(SortHeader(column.label, url, direction, arrow, column.css))
        return headers
