"""The report chart (core's bar rows) and table rows, written in Python (core/rows.py says why)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.charts import bar_rows
from core.rows import escape, muted, short_date
from reports.selectors.common import Cell, Chart, Link, Placeholder

register = template.Library()


@register.inclusion_tag("reports/partials/chart.html")
def report_chart(data: Chart, table_id: str = "") -> dict[str, Any]:
    """`{% report_chart report.chart "table-id" %}`: bars, and a pointer to the table below."""
    return bar_rows(data.points, data.title, totalled=data.totalled) | {"table_id": table_id}


def cell_html(value: Cell) -> str:
    """A cell as the page shows it: thousands separated, "—" for nothing to show, days in the
    app's format, organizations linked to their pages."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return f'<time datetime="{value.isoformat()}">{short_date(value)}</time>'
    if isinstance(value, Link):
        return f'<a href="{escape(value.url)}">{escape(value)}</a>'
    if isinstance(value, Placeholder):
        return muted(escape(value))
    return escape(str(value))


def _row(values: list[Cell], numeric: list[bool], *, footer: bool) -> SafeString:
    first, *rest = values
    header = "" if footer else ' class="fw-normal"'
    total = " fw-semibold" if footer else ""
    cells = [f'<th scope="row"{header}>{cell_html(first)}</th>']
    for value, is_numeric in zip(rest, numeric[1:], strict=True):
        aligned = f' class="text-end{total}"' if is_numeric else ""
        cells.append(f"<td{aligned}>{cell_html(value)}</td>")
    return mark_safe("".join(cells))  # noqa: S308 — every value is escaped by cell_html


@register.simple_tag
def report_head(columns: list[str], numeric: list[bool]) -> SafeString:
    """`<tr>{% report_head table.columns table.numeric %}</tr>`: numbers' headings right-aligned
    over them."""
    aligned = {True: ' class="text-end"', False: ""}
    return mark_safe(  # noqa: S308 — every heading is escaped
        "".join(
            f'<th scope="col"{aligned[is_numeric]}>{escape(column)}</th>'
            for column, is_numeric in zip(columns, numeric, strict=True)
        )
    )


@register.simple_tag
def report_row(values: list[Cell], numeric: list[bool]) -> SafeString:
    """`<tr>{% report_row row table.numeric %}</tr>`: the row's name, then its cells, numbers
    right-aligned (and "—" with them)."""
    return _row(values, numeric, footer=False)


@register.simple_tag
def report_footer(values: list[Cell], numeric: list[bool]) -> SafeString:
    """The totals row, in bold."""
    return _row(values, numeric, footer=True)
