"""The pipeline funnel on a small history whose figures were worked out by hand."""

import datetime as dt
import random
import statistics
from collections import defaultdict
from decimal import Decimal
from itertools import groupby
from typing import Any

import pytest

from core.periods import local_bounds
from partners.models import Stage, StageChange
from reports.selectors import pipeline_report
from reports.selectors.common import one_decimal, percent
from reports.selectors.pipeline import EXITS, PIPELINE
from reports.tests.helpers import at, organization_with_history

pytestmark = pytest.mark.django_db

Q1: dict[str, Any] = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}


@pytest.fixture
def history():
    # In the pipeline before the period; through to active partner within it.
    organization_with_history(
        "Alder County Health",
        (Stage.IDENTIFIED, at(2025, 12, 1), ""),
        (Stage.RESEARCHING, at(2026, 1, 11), ""),  # identified for 41 days
        (Stage.CONTACTED, at(2026, 1, 21), ""),  # researching for 10 days
        (Stage.ACTIVE, at(2026, 2, 20), "Signed the agreement"),  # contacted for 30 days
    )
    organization_with_history(
        "Birch Street School",
        (Stage.IDENTIFIED, at(2026, 1, 1), ""),
        (Stage.CONTACTED, at(2026, 1, 6), ""),  # identified 5 days, skipping researching
        (Stage.DECLINED, at(2026, 2, 5), "No capacity this year"),  # contacted 30 days
    )
    organization_with_history(
        "Cedar Food Bank",
        (Stage.IDENTIFIED, at(2026, 2, 1), ""),
        (Stage.RESEARCHING, at(2026, 2, 21), ""),  # identified 20 days
        (Stage.CONTACTED, at(2026, 4, 10), ""),  # after the period: not seen
    )
    # No change in the period: not in the funnel at all.
    organization_with_history("Dogwood Clinic", (Stage.IDENTIFIED, at(2025, 6, 1), ""))
    organization_with_history(
        "Elm Workforce Board",
        (Stage.IDENTIFIED, at(2025, 11, 1), ""),
        (Stage.DORMANT, at(2026, 3, 1), "Director left"),  # identified 120 days
    )


def test_funnel_counts_entries_conversion_and_median_days_in_stage(history):
    report = pipeline_report(**Q1)
    stages = {row[0]: row[1:] for row in report.tables[0].rows}
    # In a manager's words: how many left the stage (the stays the median is taken over).
    assert report.tables[0].columns[5] == "Left the stage in the period"
    # Entered, moved further, conversion %, median days, left the stage, entered and still there.
    assert stages["Identified"] == [2, 2, Decimal("100.0"), Decimal("30.5"), 4, 0]
    assert stages["Researching"] == [2, 1, Decimal("50.0"), Decimal("10.0"), 1, 1]
    assert stages["Contacted"] == [2, 1, Decimal("50.0"), Decimal("30.0"), 2, 0]
    assert stages["In discussion"] == [0, 0, None, None, 0, 0]
    assert stages["Active partner"] == [1, None, None, None, 0, 1]
    assert stages["Dormant"] == [1, None, None, None, 0, 1]
    assert stages["Declined"] == [1, None, None, None, 0, 1]
    assert list(stages) == [label for _value, label in Stage.choices]


def test_funnel_chart_shows_the_entered_column(history):
    report = pipeline_report(**Q1)
    assert report.chart.points == [
        ("Identified", 2),
        ("Researching", 2),
        ("Contacted", 2),
        ("In discussion", 0),
        ("Active partner", 1),
        ("Dormant", 1),
        ("Declined", 1),
    ]


def test_partners_gone_dormant_or_declined_are_listed_with_the_reason(history):
    report = pipeline_report(**Q1)
    assert report.tables[1].rows == [
        [
            "Birch Street School",
            "Declined",
            "Contacted",
            dt.date(2026, 2, 5),
            "No capacity this year",
        ],
        ["Elm Workforce Board", "Dormant", "Identified", dt.date(2026, 3, 1), "Director left"],
    ]


def test_a_shorter_period_counts_stays_that_ended_in_it_only(history):
    report = pipeline_report(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    stages = {row[0]: row[1:] for row in report.tables[0].rows}
    # Identified: A (41 days) and B (5 days) ended in January; C only entered in February.
    assert stages["Identified"] == [1, 1, Decimal("100.0"), Decimal("23.0"), 2, 0]
    # Contacted: A and B entered; neither moved further by January 31, both still there.
    assert stages["Contacted"] == [2, 0, Decimal("0.0"), None, 0, 2]
    assert report.tables[1].rows == []


def test_a_change_late_in_the_evening_counts_in_the_local_day(settings):
    settings.TIME_ZONE = "America/New_York"
    # 23:30 in New York on March 31 is April 1 in UTC: still the first quarter.
    organization_with_history(
        "Fir Library Friends", (Stage.IDENTIFIED, dt.datetime(2026, 4, 1, 3, 30, tzinfo=dt.UTC), "")
    )
    stages = {row[0]: row[1] for row in pipeline_report(**Q1).tables[0].rows}
    assert stages["Identified"] == 1


def _walked_stages(start: dt.date, end: dt.date) -> dict[str, list]:
    """The stages table worked out by walking each organization's history in Python, as the
    definitions say: what the report's single grouped query must agree with."""
    lo, hi = local_bounds(start, end)
    order: dict[str, int] = {stage: i for i, stage in enumerate(PIPELINE)}
    entered: defaultdict[str, set[int]] = defaultdict(set)
    moved_on: defaultdict[str, set[int]] = defaultdict(set)
    stays: defaultdict[str, list[float]] = defaultdict(list)
    still_there: defaultdict[str, int] = defaultdict(int)
    history = StageChange.objects.filter(changed_at__lt=hi).order_by(
        "organization_id", "changed_at", "pk"
    )
    for organization, changes in groupby(history, key=lambda change: change.organization_id):
        current: tuple[str, dt.datetime] | None = None
        entered_here: list[str] = []
        for change in changes:
            if current is not None and change.changed_at >= lo:
                stays[current[0]].append((change.changed_at - current[1]).total_seconds() / 86400)
            if change.changed_at >= lo:
                entered[change.to_stage].add(organization)
                for earlier in entered_here:
                    if order.get(change.to_stage, -1) > order.get(earlier, 99):
                        moved_on[earlier].add(organization)
                entered_here.append(change.to_stage)
            current = (change.to_stage, change.changed_at)
        if current is not None and current[1] >= lo:
            still_there[current[0]] += 1
    table = {}
    for stage in [*PIPELINE, *EXITS]:
        count = len(entered[stage])
        further = len(moved_on[stage]) if stage in PIPELINE[:-1] else None
        durations = stays[stage]
        table[stage.label] = [
            count,
            further,
            percent(further, count) if further is not None else None,
            one_decimal(statistics.median(durations)) if durations else None,
            len(durations),
            still_there[stage],
        ]
    return table


@pytest.mark.parametrize(
    ("start", "end"),
    [(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 2, 10), dt.date(2026, 2, 20))],
)
def test_funnel_agrees_with_a_walk_through_every_history(start, end):
    shuffle = random.Random(12)
    stages = [*PIPELINE, *EXITS]
    for n in range(40):
        steps, stage = [], None
        moment = at(2025, 11, 1) + dt.timedelta(days=shuffle.randrange(60))
        for _ in range(shuffle.randint(1, 6)):
            stage = shuffle.choice([other for other in stages if other != stage])
            # Some changes at the same moment as the one before: the order of entry decides.
            steps.append((stage, moment, ""))
            moment += dt.timedelta(days=shuffle.choice([0, 1, 3, 10, 25]), hours=shuffle.random())
        organization_with_history(f"Partner {n}", *steps)
    report = pipeline_report(start=start, end=end)
    assert {row[0]: row[1:] for row in report.tables[0].rows} == _walked_stages(start, end)
