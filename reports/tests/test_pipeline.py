"""The pipeline funnel on a small history whose figures were worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from partners.models import Stage
from reports.selectors import pipeline_report
from reports.tests.helpers import at, organization_with_history

pytestmark = pytest.mark.django_db

Q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}


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
    # Entered, moved further, conversion %, median days, stays ended, entered and still there.
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
        ["Birch Street School", "Declined", "Contacted", "2026-02-05", "No capacity this year"],
        ["Elm Workforce Board", "Dormant", "Identified", "2026-03-01", "Director left"],
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
