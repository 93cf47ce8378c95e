"""Partnership health over time: the share of the portfolio at risk in each month (the health
app records each partnership's health once a week), and the partnerships at risk now with
their reasons.

Two queries for the months (the weekly records, grouped), and a fixed number for the list of
those at risk now, whatever the number of organizations.
"""

import datetime as dt

from core.people import display_name
from health.reasons import AT_RISK_FROM, ATTENTION_FROM
from health.selectors import monthly_health, next_step, partnerships_by_health, why
from partners.models import Health
from reports.selectors.common import Cell, Chart, Link, Placeholder, Report, Table, percent


def _definitions() -> list[str]:
    return [
        "Partnerships in discussion or active are assessed, from signals a person can check: "
        "how long since the last two-way contact against the agreed cadence, follow-ups "
        "overdue, the primary contact, progress updates, joint programs' sessions, "
        "agreements ending without renewal. Each has a weight; they add up to the level: "
        f"{ATTENTION_FROM} or more needs attention, {AT_RISK_FROM} or more is at risk.",
        "Health is recorded once a week (on Mondays); a month shows its last recorded week.",
        "At risk now: as last assessed (every 15 minutes, and when a touchpoint is logged or "
        "a stage changes).",
    ]


def health_report(*, start: dt.date, end: dt.date, limit: int | None = None) -> Report:
    months = monthly_health(start, end)
    month_rows: list[list[Cell]] = [
        [
            month.label,
            month.week,
            month.partnerships,
            month.healthy,
            month.attention,
            month.at_risk,
            percent(month.at_risk, month.partnerships),
        ]
        for month in months
    ]
    at_risk = partnerships_by_health(level=Health.AT_RISK)
    total = at_risk.count()
    risk_rows: list[list[Cell]] = [
        [
            Link(organization.name, organization.get_absolute_url()),
            display_name(organization.owner) if organization.owner else Placeholder("Nobody"),
            why(organization.health_reasons),
            next_step(organization.health_reasons),
        ]
        for organization in at_risk[:limit]
    ]
    return Report(
        slug="health",
        title="Partnership health",
        start=start,
        end=end,
        chart=Chart(
            title="Share of partnerships at risk (%)",
            points=[(month.label, round(month.at_risk_share * 100)) for month in months],
            totalled=False,
        ),
        tables=[
            Table(
                key="months",
                title="Health by month",
                columns=[
                    "Month",
                    "Week recorded",
                    "Partnerships assessed",
                    "Healthy",
                    "Needs attention",
                    "At risk",
                    "At risk (%)",
                ],
                rows=month_rows,
                empty="No week recorded in this period.",
            ),
            Table(
                key="at_risk",
                title="At risk now",
                columns=["Partner", "Owner", "Why", "Next step"],
                rows=risk_rows,
                empty="No partnership is at risk now.",
                total=total if limit is not None else None,
                shown="A to Z",
            ),
        ],
        definitions=_definitions(),
    )
