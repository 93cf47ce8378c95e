"""Activity: touchpoints per month by staff member and by channel, meetings held, follow-ups.

Three grouped queries, whatever the number of rows: touchpoints per (month, staff, channel),
held meetings per month, completed follow-ups per month split on time / late.

Months are the current time zone's months. A follow-up is on time when it was completed on or
before its due day (in the current time zone); a due time on that day is not taken into account.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from outreach.models import FollowUp, Meeting, Touchpoint
from reports.selectors.common import (
    Chart,
    Report,
    Table,
    as_local_date,
    local_bounds,
    month_label,
    months,
)

DEFINITIONS = [
    "Touchpoints count by the day they happened; meetings count when held (by start time).",
    "Follow-ups count in the month they were completed: on time when completed on or before "
    "the due date, late otherwise. Open and cancelled follow-ups are not counted.",
]
NOBODY = "(no staff member)"


def _person(first: str | None, last: str | None, username: str | None) -> str:
    if username is None:
        return NOBODY
    return f"{first or ''} {last or ''}".strip() or username


def activity_report(*, start: dt.date, end: dt.date) -> Report:
    lo, hi = local_bounds(start, end)
    zone = timezone.get_current_timezone()
    every_month = months(start, end)

    touchpoints = (
        Touchpoint.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values(
            "month",
            "channel",
            "staff_id",
            "staff__first_name",
            "staff__last_name",
            "staff__username",
        )
        .annotate(n=Count("pk"))
    )
    by_staff: dict[tuple[dt.date, object], int] = defaultdict(int)
    by_channel: dict[tuple[dt.date, str], int] = defaultdict(int)
    per_month: dict[dt.date, int] = defaultdict(int)
    people: dict[object, str] = {}
    channels: set[str] = set()
    for row in touchpoints:
        month = as_local_date(row["month"])
        people[row["staff_id"]] = _person(
            row["staff__first_name"], row["staff__last_name"], row["staff__username"]
        )
        channels.add(row["channel"])
        by_staff[month, row["staff_id"]] += row["n"]
        by_channel[month, row["channel"]] += row["n"]
        per_month[month] += row["n"]

    meetings = dict(
        Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gte=lo, starts_at__lt=hi)
        .annotate(month=TruncMonth("starts_at", tzinfo=zone))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    meetings = {as_local_date(month): n for month, n in meetings.items()}

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
    done = {as_local_date(row["month"]): (row["on_time"], row["late"]) for row in followups}

    summary_rows = [
        [
            month_label(month),
            per_month.get(month, 0),
            meetings.get(month, 0),
            done.get(month, (0, 0))[0],
            done.get(month, (0, 0))[1],
        ]
        for month in every_month
    ]
    staff_order = sorted(people, key=lambda key: (people[key] == NOBODY, people[key].casefold()))
    channel_order = [value for value, _label in Touchpoint.Channel.choices if value in channels]
    channel_labels = dict(Touchpoint.Channel.choices)

    def totals(rows: list[list]) -> list:
        return ["Total", *(sum(row[i] for row in rows) for i in range(1, len(rows[0])))]

    staff_rows = [
        [
            month_label(month),
            *(by_staff.get((month, key), 0) for key in staff_order),
            per_month.get(month, 0),
        ]
        for month in every_month
    ]
    channel_rows = [
        [
            month_label(month),
            *(by_channel.get((month, value), 0) for value in channel_order),
            per_month.get(month, 0),
        ]
        for month in every_month
    ]
    return Report(
        slug="activity",
        title="Activity",
        start=start,
        end=end,
        chart=Chart(
            "Touchpoints per month",
            [(row[0], row[1]) for row in summary_rows],  # type: ignore[misc]
        ),
        tables=[
            Table(
                key="months",
                title="Per month",
                columns=[
                    "Month",
                    "Touchpoints",
                    "Meetings held",
                    "Follow-ups done on time",
                    "Follow-ups done late",
                ],
                rows=summary_rows,
                footer=totals(summary_rows),
            ),
            Table(
                key="staff",
                title="Touchpoints by staff member",
                columns=["Month", *(people[key] for key in staff_order), "Total"],
                rows=staff_rows if staff_order else [],
                footer=totals(staff_rows) if staff_order else [],
                empty="No touchpoints in this period.",
            ),
            Table(
                key="channels",
                title="Touchpoints by channel",
                columns=["Month", *(channel_labels[value] for value in channel_order), "Total"],
                rows=channel_rows if channel_order else [],
                footer=totals(channel_rows) if channel_order else [],
                empty="No touchpoints in this period.",
            ),
        ],
        definitions=DEFINITIONS,
    )
