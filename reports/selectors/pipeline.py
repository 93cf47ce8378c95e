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

Two queries, whatever the size of the history: the stage changes of the organizations that had
one in the period (ordered, walked once in Python), and the exits with their notes.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.periods import local_bounds
from partners.models import Stage, StageChange
from reports.selectors.common import Cell, Chart, Report, Table, one_decimal, percent

PIPELINE = [Stage.IDENTIFIED, Stage.RESEARCHING, Stage.CONTACTED, Stage.IN_DISCUSSION, Stage.ACTIVE]
EXITS = [Stage.DORMANT, Stage.DECLINED]
ORDER = {stage.value: i for i, stage in enumerate(PIPELINE)}
SECONDS_PER_DAY = 86_400

DEFINITIONS = [
    "Entered: organizations that moved into the stage during the period (once each).",
    "Moved further: of those, the ones that reached a later pipeline stage before the period "
    "ended (skipping a stage counts). Conversion = moved further ÷ entered.",
    "Median days in stage: from entering a stage to the next stage change, over the stays "
    "that ended during the period. Stays still open at the end of the period are not "
    "included; those that began in the period are counted under “Entered, still there at the "
    "end”.",
]


def _still_open(
    current: tuple[str, dt.datetime] | None, lo: dt.datetime, still_there: dict[str, int]
) -> None:
    """Count an organization's last stay if it began in the period and had not ended."""
    if current is not None and current[1] >= lo:
        still_there[current[0]] += 1


@dataclass
class _Funnel:
    """Per stage: who entered it, who of them moved further, the stays that ended, and the
    stays begun in the period and still open at its end."""

    entered: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    moved_on: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    stays: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    still_there: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))


def _walk_organization(
    funnel: _Funnel, changes: Iterable[tuple[int, str, dt.datetime]], lo: dt.datetime
) -> None:
    """One organization's stage changes, in order; `current` is its open stay."""
    current: tuple[str, dt.datetime] | None = None
    entered_here: list[str] = []  # stages this organization entered in the period, in order
    for organization_id, stage, changed_at in changes:
        if current is not None and changed_at >= lo:
            days = (changed_at - current[1]).total_seconds() / SECONDS_PER_DAY
            funnel.stays[current[0]].append(max(days, 0.0))
        if changed_at >= lo:
            funnel.entered[stage].add(organization_id)
            for earlier in entered_here:
                if stage in ORDER and earlier in ORDER and ORDER[stage] > ORDER[earlier]:
                    funnel.moved_on[earlier].add(organization_id)
            entered_here.append(stage)
        current = (stage, changed_at)
    _still_open(current, lo, funnel.still_there)


def _funnel(lo: dt.datetime, hi: dt.datetime) -> _Funnel:
    """One pass over the ordered history of the organizations with a change in the period."""
    changed_in_period = StageChange.objects.filter(
        organization=OuterRef("organization"), changed_at__gte=lo, changed_at__lt=hi
    )
    history = (
        StageChange.objects.filter(Exists(changed_in_period), changed_at__lt=hi)
        .order_by("organization_id", "changed_at", "pk")
        .values_list("organization_id", "to_stage", "changed_at")
    )
    funnel = _Funnel()
    for _organization, changes in groupby(history.iterator(chunk_size=5000), key=itemgetter(0)):
        _walk_organization(funnel, changes, lo)
    return funnel


def _stages_table(funnel: _Funnel) -> Table:
    rows: list[list[Cell]] = []
    for stage in [*PIPELINE, *EXITS]:
        count = len(funnel.entered[stage])
        further = len(funnel.moved_on[stage]) if stage in ORDER and stage != Stage.ACTIVE else None
        durations = funnel.stays[stage]
        rows.append(
            [
                stage.label,
                count,
                further,
                percent(further, count) if further is not None else None,
                one_decimal(statistics.median(durations)) if durations else None,
                len(durations),
                funnel.still_there[stage],
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
            "Stays ended",
            "Entered, still there at the end",
        ],
        rows=rows,
    )


def _exits_table(lo: dt.datetime, hi: dt.datetime) -> Table:
    exits = (
        StageChange.objects.filter(to_stage__in=EXITS, changed_at__gte=lo, changed_at__lt=hi)
        .select_related("organization")
        .order_by("changed_at", "pk")
    )
    rows: list[list[Cell]] = [
        [
            change.organization.name,
            change.get_to_stage_display(),
            Stage(change.from_stage).label if change.from_stage else "",
            timezone.localtime(change.changed_at).date().isoformat(),
            change.note or "(no reason given)",
        ]
        for change in exits
    ]
    return Table(
        key="exits",
        title="Gone dormant or declined, and why",
        columns=["Organization", "Now", "From", "Date", "Reason (stage-change note)"],
        rows=rows,
        empty="No partner went dormant or declined in this period.",
    )


def pipeline_report(*, start: dt.date, end: dt.date) -> Report:
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
        tables=[stages, _exits_table(lo, hi)],
        definitions=DEFINITIONS,
    )
