"""Programs and impact: programs by status and kind, sessions and attendance per quarter,
outcomes recorded, grants requested and awarded.

Definitions (also shown on the page):

- Programs count when their dates overlap the period; a missing start or end date leaves that
  side open, so a program still being proposed without dates counts.
- Sessions and attendance count by the session's start (current time zone); sessions without a
  head count yet add nothing to attendance and are counted separately.
- Outcomes count by the day they were measured.
- Grants count when their submission deadline falls in the period.

Four grouped queries, whatever the number of programs, sessions, outcomes and grants.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from core.periods import as_local_date, local_bounds, quarter_label, quarters
from programs.models import Grant, Outcome, Program, ProgramSession
from reports.selectors.common import Cell, Chart, Report, Table

DEFINITIONS = [
    "Programs count when their dates overlap the period (a missing date leaves that side open).",
    "Sessions and attendance count by the session's date; sessions with no head count yet are "
    "counted under “Sessions without a head count” and add nothing to attendance.",
    "Outcomes count by the day they were measured; grants by their submission deadline.",
]
ZERO = Decimal("0.00")


def _total(rows: list[list[Cell]], columns: int) -> list[Cell]:
    return ["Total", *(sum(row[i] for row in rows) for i in range(1, columns))]  # type: ignore[misc]


def _programs_table(start: dt.date, end: dt.date) -> Table:
    overlapping = Program.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=end),
        Q(end_date__isnull=True) | Q(end_date__gte=start),
    )
    counts = {
        (row["kind"], row["status"]): row["n"]
        for row in overlapping.order_by().values("kind", "status").annotate(n=Count("pk"))
    }
    statuses = Program.Status.choices
    rows: list[list[Cell]] = []
    for kind, label in Program.Kind.choices:
        row = [counts.get((kind, status), 0) for status, _label in statuses]
        if any(row):
            rows.append([label, *row, sum(row)])
    return Table(
        key="programs",
        title="Programs by kind and status",
        columns=["Kind", *(label for _value, label in statuses), "Total"],
        rows=rows,
        footer=_total(rows, len(statuses) + 2) if rows else [],
        empty="No programs ran in this period.",
    )


def _sessions_by_quarter(lo: dt.datetime, hi: dt.datetime) -> dict[dt.date, dict[str, Any]]:
    zone = timezone.get_current_timezone()
    return {
        as_local_date(row["quarter"]): row
        for row in ProgramSession.objects.filter(starts_at__gte=lo, starts_at__lt=hi)
        .annotate(quarter=TruncQuarter("starts_at", tzinfo=zone))
        .order_by()
        .values("quarter")
        .annotate(
            sessions=Count("pk"),
            people=Sum("attendance"),
            unknown=Count("pk", filter=Q(attendance__isnull=True)),
        )
    }


def _outcomes_by_quarter(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    return {
        as_local_date(quarter): n
        for quarter, n in Outcome.objects.filter(measured_on__gte=start, measured_on__lte=end)
        .annotate(quarter=TruncQuarter("measured_on"))
        .order_by()
        .values_list("quarter")
        .annotate(n=Count("pk"))
        .values_list("quarter", "n")
    }


def _quarters_table(start: dt.date, end: dt.date) -> Table:
    lo, hi = local_bounds(start, end)
    sessions = _sessions_by_quarter(lo, hi)
    outcomes = _outcomes_by_quarter(start, end)
    rows: list[list[Cell]] = []
    for quarter in quarters(start, end):
        row = sessions.get(quarter, {})
        rows.append(
            [
                quarter_label(quarter),
                row.get("sessions", 0),
                row.get("people") or 0,
                row.get("unknown", 0),
                outcomes.get(quarter, 0),
            ]
        )
    return Table(
        key="quarters",
        title="Per quarter",
        columns=[
            "Quarter",
            "Sessions",
            "Attendance",
            "Sessions without a head count",
            "Outcomes recorded",
        ],
        rows=rows,
        footer=_total(rows, 5),
    )


def _grants_table(start: dt.date, end: dt.date) -> Table:
    grants = {
        row["status"]: row
        for row in Grant.objects.filter(
            submission_deadline__gte=start, submission_deadline__lte=end
        )
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), requested=Sum("amount_requested"), awarded=Sum("amount_awarded"))
    }
    rows: list[list[Cell]] = [
        [
            label,
            grants[value]["n"],
            grants[value]["requested"] or ZERO,
            grants[value]["awarded"] or ZERO,
        ]
        for value, label in Grant.Status.choices
        if value in grants
    ]
    return Table(
        key="grants",
        title="Grants requested and awarded",
        columns=["Status", "Grants", "Requested ($)", "Awarded ($)"],
        rows=rows,
        footer=_total(rows, 4) if rows else [],
        empty="No grant deadlines in this period.",
    )


def programs_report(*, start: dt.date, end: dt.date) -> Report:
    by_kind = _programs_table(start, end)
    by_quarter = _quarters_table(start, end)
    return Report(
        slug="programs",
        title="Programs and impact",
        start=start,
        end=end,
        chart=Chart(
            "Attendance per quarter",
            [(row[0], row[2]) for row in by_quarter.rows],  # type: ignore[misc]
        ),
        tables=[by_quarter, by_kind, _grants_table(start, end)],
        definitions=DEFINITIONS,
    )
