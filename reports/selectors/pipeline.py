"""The pipeline funnel: who entered each stage in a period, who moved on, how long stays lasted.

Definitions (also shown on the page):

- *Entered*: organizations with a stage change into the stage during the period (an
  organization entering the same stage twice counts once).
- *Moved further*: of those, the ones that later reached a stage further along the pipeline
  (Identified → Researching → Contacted → In discussion → Active partner) before the period
  ended; skipping a stage counts. Conversion is moved further ÷ entered.
- *Median days in stage*: a stay runs from the change into a stage to the next change of that
  organization. Only stays that ended during the period count; stays still open at the end of
  the period are left out (they are not over, so their length is not known yet) and counted
  separately when they began in the period ("entered, still there at the end").

Two queries, whatever the size of the history, both grouped in the database: the funnel (the
stage changes of the organizations that had one in the period, each with the change before and
after it, added up per stage) and the exits with their notes. The page shows the most recent
exits and their number; the CSV lists them all.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    RowRange,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lag, Lead
from django.utils import timezone

from core.periods import local_bounds
from partners.models import Stage, StageChange
from reports.selectors.common import (
    Cell,
    Chart,
    Link,
    Placeholder,
    Report,
    Table,
    one_decimal,
    percent,
)

PIPELINE = [Stage.IDENTIFIED, Stage.RESEARCHING, Stage.CONTACTED, Stage.IN_DISCUSSION, Stage.ACTIVE]
EXITS = [Stage.DORMANT, Stage.DECLINED]
SECONDS_PER_DAY = 86_400

DEFINITIONS = [
    "Entered: organizations that moved into the stage during the period (once each).",
    "Moved further: of those, the ones that reached a later pipeline stage before the period "
    "ended (skipping a stage counts). Conversion = moved further ÷ entered.",
    "Median days in stage: from entering a stage to the next stage change, over the "
    "organizations that left the stage during the period (“Left the stage in the period”, "
    "whenever they had entered it, and whichever stage they went to). Organizations still in "
    "the stage at the end of the period are not included; those that entered it in the period "
    "are counted under “Entered, still there at the end”.",
]


@dataclass
class _Funnel:
    """Per stage: how many organizations entered it, how many of them moved further, the
    median and number of stays that ended, and the stays begun in the period and still open
    at its end."""

    entered: dict[str, int] = field(default_factory=dict)
    moved_on: dict[str, int] = field(default_factory=dict)
    still_there: dict[str, int] = field(default_factory=dict)
    median_days: dict[str, float] = field(default_factory=dict)
    stays: dict[str, int] = field(default_factory=dict)


def _history(lo: dt.datetime, hi: dt.datetime) -> tuple[str, tuple[Any, ...]]:
    """The stage changes before the end of the period of the organizations with one in it,
    each with what the funnel needs to know from that organization's changes around it."""
    rank = Case(
        *(When(to_stage=stage, then=Value(i)) for i, stage in enumerate(PIPELINE)),
        output_field=IntegerField(),
    )

    def in_order(expression: Any, frame: RowRange | None = None) -> Window:
        """Over the organization's changes in order (by time; by entry at the same time)."""
        return Window(
            expression,
            partition_by=[F("organization_id")],
            order_by=[F("changed_at"), F("pk")],
            frame=frame,
        )

    changed_in_period = StageChange.objects.filter(
        organization=OuterRef("organization"), changed_at__gte=lo, changed_at__lt=hi
    )
    history = (
        StageChange.objects.filter(Exists(changed_in_period), changed_at__lt=hi)
        .order_by()
        .annotate(
            org=F("organization_id"),
            stage=F("to_stage"),
            changed=F("changed_at"),
            stage_rank=rank,
            # The stay that this change ended: the stage before it and how long it lasted.
            stay_stage=in_order(Lag("to_stage")),
            stay=ExpressionWrapper(
                F("changed_at") - in_order(Lag("changed_at")),
                output_field=DurationField(),
            ),
            # The furthest pipeline stage the organization reached after this change.
            furthest_after=in_order(Max(rank), frame=RowRange(start=1, end=None)),
            next_change=in_order(Lead("pk")),
        )
        .values(
            "org",
            "stage",
            "changed",
            "stage_rank",
            "stay_stage",
            "stay",
            "furthest_after",
            "next_change",
        )  # fmt: skip
    )
    return history.query.sql_with_params()


# Per stage entered in the period: organizations, those that moved further, stays still open.
# Per stage left in the period: the number of stays and the median stay (the middle one, or
# the mean of the two middle ones).
FUNNEL_SQL = """
WITH history AS ({history}),
in_period AS (SELECT * FROM history WHERE changed >= %s),
stays AS (
    SELECT stay_stage, stay,
        ROW_NUMBER() OVER (PARTITION BY stay_stage ORDER BY stay) AS place,
        COUNT(*) OVER (PARTITION BY stay_stage) AS how_many
    FROM in_period WHERE stay_stage IS NOT NULL
),
entries AS (
    SELECT stage, org, MAX(CASE WHEN furthest_after > stage_rank THEN 1 ELSE 0 END) AS moved_on,
        SUM(CASE WHEN next_change IS NULL THEN 1 ELSE 0 END) AS still_there
    FROM in_period GROUP BY stage, org
)
SELECT stage, COUNT(*), SUM(moved_on), SUM(still_there), NULL, NULL FROM entries GROUP BY stage
UNION ALL
SELECT stay_stage, NULL, NULL, NULL, how_many, AVG(stay)
FROM stays WHERE place IN ((how_many + 1) / 2, (how_many + 2) / 2)
GROUP BY stay_stage, how_many
"""


def _days(stay: Any) -> float:
    """A stay as PostgreSQL gives it (an interval) or SQLite (microseconds), in days."""
    if isinstance(stay, dt.timedelta):
        return stay.total_seconds() / SECONDS_PER_DAY
    return float(stay) / 1_000_000 / SECONDS_PER_DAY


def _funnel(lo: dt.datetime, hi: dt.datetime) -> _Funnel:
    """One query over the history of the organizations with a change in the period."""
    history, params = _history(lo, hi)
    with connection.cursor() as cursor:
        cursor.execute(FUNNEL_SQL.format(history=history), (*params, lo))
        rows = cursor.fetchall()
    funnel = _Funnel()
    for stage, entered, moved_on, still_there, stays, median in rows:
        if entered is not None:
            funnel.entered[stage] = entered
            funnel.moved_on[stage] = int(moved_on)
            funnel.still_there[stage] = int(still_there)
        else:
            funnel.stays[stage] = stays
            funnel.median_days[stage] = max(_days(median), 0.0)
    return funnel


def _stages_table(funnel: _Funnel) -> Table:
    rows: list[list[Cell]] = []
    for stage in [*PIPELINE, *EXITS]:
        count = funnel.entered.get(stage, 0)
        further = funnel.moved_on.get(stage, 0) if stage in PIPELINE[:-1] else None
        median = funnel.median_days.get(stage)
        rows.append(
            [
                stage.label,
                count,
                further,
                percent(further, count) if further is not None else None,
                one_decimal(median) if median is not None else None,
                funnel.stays.get(stage, 0),
                funnel.still_there.get(stage, 0),
            ]
        )
    return Table(
        key="stages",
        title="Stages",
        columns=[
            "Stage",
            "Entered",
            "Moved further",
            "Conversion (%)",
            "Median days in stage",
            "Left the stage in the period",
            "Entered, still there at the end",
        ],
        rows=rows,
    )


def _exits_table(lo: dt.datetime, hi: dt.datetime, limit: int | None) -> Table:
    """Every exit of the period in date order; with a `limit`, only the most recent ones (still
    in date order) and how many there are in all."""
    exits = StageChange.objects.filter(to_stage__in=EXITS, changed_at__gte=lo, changed_at__lt=hi)
    total = None
    if limit is not None:
        # The most recent exits and their number, each in a subquery, so that only the rows
        # shown are joined to their organizations.
        everyone = exits.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        latest = exits.order_by("-changed_at", "-pk").values("pk")[:limit]
        exits = StageChange.objects.filter(pk__in=latest).annotate(
            total=Subquery(everyone, output_field=IntegerField())
        )
    changes = list(exits.select_related("organization").order_by("changed_at", "pk"))
    if limit is not None:
        total = changes[0].total if changes else 0  # type: ignore[attr-defined]
    rows: list[list[Cell]] = [
        [
            Link(change.organization.name, change.organization.get_absolute_url()),
            change.get_to_stage_display(),
            Stage(change.from_stage).label if change.from_stage else "",
            timezone.localtime(change.changed_at).date(),
            change.note or Placeholder("(no reason given)"),
        ]
        for change in changes
    ]
    return Table(
        key="exits",
        title="Gone dormant or declined, and why",
        columns=["Organization", "Now", "From", "Date", "Reason (stage-change note)"],
        rows=rows,
        empty="No partner went dormant or declined in this period.",
        total=total,
        shown="the most recent",
    )


def pipeline_report(*, start: dt.date, end: dt.date, limit: int | None = None) -> Report:
    """The funnel of the period and its exits: all of them, or the `limit` most recent."""
    lo, hi = local_bounds(start, end)
    stages = _stages_table(_funnel(lo, hi))
    return Report(
        slug="pipeline",
        title="Pipeline funnel",
        start=start,
        end=end,
        chart=Chart(
            "Organizations entering each stage",
            [(row[0], row[1]) for row in stages.rows],  # type: ignore[misc]
        ),
        tables=[stages, _exits_table(lo, hi, limit)],
        definitions=DEFINITIONS,
    )
