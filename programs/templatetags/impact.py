"""The attendance chart of the impact summary and a program's page (core's bar chart)."""

from collections.abc import Iterable
from typing import Any

from django import template

from core.charts import chart

register = template.Library()


@register.inclusion_tag("programs/partials/attendance_chart.html")
def attendance_chart(points: Iterable[tuple[Any, Any]], caption: str = "") -> dict[str, Any]:
    """`{% attendance_chart points "Attendance by month" %}`; points are (label, head count)."""
    return chart(points or [], caption)
