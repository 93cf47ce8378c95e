"""Activity: touchpoints per month by staff member and by channel, meetings held, follow-ups.

Three grouped queries, whatever the number of rows: touchpoints per (month, staff, channel),
held meetings per month, completed follow-ups per month split on time / late.

Months are the current time zone's months. A follow-up is on time when it was completed on or
before its due day (in the current time zone); a due time on that day is not taken into account.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from core.people import display_name_of_row
from core.periods import as_local_date, local_bounds, month_label, months
from outreach.models import FollowUp, Meeting, Touchpoint
from reports.selectors.common import (
    Cell,
    Chart,
    Report,
    Table,
    as_month,
    first_of_month_sql,
)

DEFINITIONS = [
    "Touchpoints count by the day they happened; meetings count when held (by start time).",
    "Follow-ups count in the month they were completed: on time when completed on or before "
    "the due date, late otherwise. Open and cancelled follow-ups are not counted.",
]
NOBODY = "(no staff member)"


@dataclass
class _Touchpoints:
    """Touchpoints per month: in all, per staff member and per channel."""

    per_month: defaultdict[dt.date, int] = field(default_factory=lambda: defaultdict(int))
    by_staff: defaultdict[tuple[dt.date, object], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    by_channel: defaultdict[tuple[dt.date, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    people: dict[object, str] = field(default_factory=dict)
    channels: set[str] = field(default_factory=set)


def _touchpoint_counts(start: dt.date, end: dt.date) -> _Touchpoints:
    """Touchpoints per month, staff member and channel, with the staff members' names.

    Grouped twice: by day, staff member and channel first (plain columns, quick to group
    however many touchpoints there are), then those few rows by month. Grouping every
    touchpoint by its month directly is several times slower.
    """
    per_day = (
        Touchpoint.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
        .order_by()
        .annotate(day=F("occurred_on"), staff_member=F("staff_id"), via=F("channel"))
        .values("day", "staff_member", "via")
        .annotate(n=Count("pk"))
    )
    inner, params = per_day.query.sql_with_params()
    month, month_params = first_of_month_sql("day")
    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    sql = (
        f"SELECT {month}, t.staff_member, t.via, SUM(t.n), u.first_name, u.last_name, "
        f"u.username FROM ({inner}) AS t LEFT JOIN {users} AS u ON u.id = t.staff_member "
        "GROUP BY 1, 2, 3, u.first_name, u.last_name, u.username"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*month_params, *params))
        rows = cursor.fetchall()
    counts = _Touchpoints()
    for first_day, staff_id, channel, n, *name in rows:
        month_start = as_month(first_day)
        fields = ("staff__first_name", "staff__last_name", "staff__username")
        person = dict(zip(fields, name, strict=True))
        counts.people[staff_id] = display_name_of_row(person, "staff") or NOBODY
        counts.channels.add(channel)
        counts.by_staff[month_start, staff_id] += n
        counts.by_channel[month_start, channel] += n
        counts.per_month[month_start] += n
    return counts


def _meetings_held(lo: dt.datetime, hi: dt.datetime) -> dict[dt.date, int]:
    meetings = dict(
        Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gte=lo, starts_at__lt=hi)
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return {as_local_date(month): n for month, n in meetings.items()}


def _followups_done(lo: dt.datetime, hi: dt.datetime) -> dict[dt.date, tuple[int, int]]:
    """Follow-ups completed per month: (on time, late)."""
    zone = timezone.get_current_timezone()
    followups = (
        FollowUp.objects.filter(
            status=FollowUp.Status.DONE, completed_at__gte=lo, completed_at__lt=hi
        )
        .annotate(
            month=TruncMonth("completed_at", tzinfo=zone),
            completed_on=TruncDate("completed_at", tzinfo=zone),
        )
        .order_by()
        .values("month")
        .annotate(
            on_time=Count("pk", filter=Q(completed_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(completed_on__gt=F("due_on"))),
        )
    )
    return {as_local_date(row["month"]): (row["on_time"], row["late"]) for row in followups}


def _totals(rows: list[list]) -> list:
    return ["Total", *(sum(row[i] for row in rows) for i in range(1, len(rows[0])))]


def _months_table(
    every_month: list[dt.date],
    counts: _Touchpoints,
    meetings: dict[dt.date, int],
    done: dict[dt.date, tuple[int, int]],
) -> Table:
    rows: list[list[Cell]] = [
        [
            month_label(month),
            counts.per_month.get(month, 0),
            meetings.get(month, 0),
            done.get(month, (0, 0))[0],
            done.get(month, (0, 0))[1],
        ]
        for month in every_month
    ]
    return Table(
        key="months",
        title="Per month",
        columns=[
            "Month",
            "Touchpoints",
            "Meetings held",
            "Follow-ups done on time",
            "Follow-ups done late",
        ],
        rows=rows,
        footer=_totals(rows),
    )


def _by_month(
    every_month: list[dt.date],
    *,
    key: str,
    title: str,
    columns: list[tuple[Any, str]],
    counted: dict[tuple[dt.date, Any], int],
    per_month: dict[dt.date, int],
) -> Table:
    """Touchpoints of each month in one column per (value, label), with the month's total."""
    rows: list[list[Cell]] = [
        [
            month_label(month),
            *(counted.get((month, value), 0) for value, _label in columns),
            per_month.get(month, 0),
        ]
        for month in every_month
    ]
    return Table(
        key=key,
        title=title,
        columns=["Month", *(label for _value, label in columns), "Total"],
        rows=rows if columns else [],
        footer=_totals(rows) if columns else [],
        empty="No touchpoints in this period.",
    )


def _staff_table(every_month: list[dt.date], counts: _Touchpoints) -> Table:
    people = counts.people
    order = sorted(people, key=lambda key: (people[key] == NOBODY, people[key].casefold()))
    return _by_month(
        every_month,
        key="staff",
        title="Touchpoints by staff member",
        columns=[(key, people[key]) for key in order],
        counted=counts.by_staff,
        per_month=counts.per_month,
    )


def _channels_table(every_month: list[dt.date], counts: _Touchpoints) -> Table:
    labels = dict(Touchpoint.Channel.choices)
    return _by_month(
        every_month,
        key="channels",
        title="Touchpoints by channel",
        columns=[(value, labels[value]) for value in labels if value in counts.channels],
        counted=counts.by_channel,
        per_month=counts.per_month,
    )


def activity_report(*, start: dt.date, end: dt.date) -> Report:
    lo, hi = local_bounds(start, end)
    every_month = months(start, end)
    counts = _touchpoint_counts(start, end)
    summary = _months_table(every_month, counts, _meetings_held(lo, hi), _followups_done(lo, hi))
    return Report(
        slug="activity",
        title="Activity",
        start=start,
        end=end,
        chart=Chart(
            "Touchpoints per month",
            [(row[0], row[1]) for row in summary.rows],  # type: ignore[misc]
        ),
        tables=[
            summary,
            _staff_table(every_month, counts),
            _channels_table(every_month, counts),
        ],
        definitions=DEFINITIONS,
    )
