"""The report chart (the impact chart's geometry, drawn the same way) and table cells."""

from decimal import Decimal
from typing import Any

from django import template

from core.charts import chart
from reports.selectors.common import Chart

register = template.Library()


@register.inclusion_tag("reports/partials/chart.html")
def report_chart(data: Chart, table_id: str = "") -> dict[str, Any]:
    """`{% report_chart report.chart "table-id" %}`: bars, and a pointer to the table below."""
    return chart(data.points, data.title) | {"table_id": table_id}


@register.filter
def report_cell(value: Any) -> str:
    """A cell as the page shows it: thousands separated, "—" for nothing to show."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    return str(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)
