"""Programs and impact figures on fixed programs, sessions, outcomes and grants."""

import datetime as dt
from decimal import Decimal

import pytest

from programs.models import Outcome, Program
from programs.tests.factories import GrantFactory, ProgramFactory, ProgramSessionFactory
from reports.selectors import programs_report
from reports.tests.helpers import at

pytestmark = pytest.mark.django_db

HALF = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 6, 30)}


@pytest.fixture
def programs():
    workshops = ProgramFactory(
        status=Program.Status.ACTIVE, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 3, 31)
    )
    fair = ProgramFactory(
        kind=Program.Kind.FAIR,
        status=Program.Status.COMPLETED,
        start_date=dt.date(2025, 5, 1),
        end_date=dt.date(2025, 6, 30),
    )
    proposed = ProgramFactory(status=Program.Status.PROPOSED, start_date=None, end_date=None)
    grant_program = ProgramFactory(
        kind=Program.Kind.GRANT,
        status=Program.Status.PLANNING,
        start_date=dt.date(2026, 6, 1),
        end_date=None,
    )
    for starts_at, attendance in [
        (at(2026, 1, 10, 23), 20),
        # 23:30 on March 31 in New York: the first quarter.
        (dt.datetime(2026, 4, 1, 3, 30, tzinfo=dt.UTC), 15),
        (at(2026, 4, 15, 22), None),
        # Midnight starting June 30 in New York: still in the period.
        (dt.datetime(2026, 6, 30, 4, 0, tzinfo=dt.UTC), 5),
        (at(2026, 7, 2, 22), 99),  # after the period
    ]:
        ProgramSessionFactory(program=workshops, starts_at=starts_at, attendance=attendance)
    ProgramSessionFactory(program=fair, starts_at=at(2025, 6, 1), attendance=300)
    ProgramSessionFactory(program=workshops, starts_at=at(2026, 5, 5, 22), attendance=None)
    for measured_on in (dt.date(2026, 2, 1), dt.date(2026, 5, 1), dt.date(2026, 5, 2)):
        Outcome.objects.create(
            program=workshops, metric="Confidence", value=78, measured_on=measured_on
        )
    Outcome.objects.create(
        program=fair, metric="Visitors", value=300, measured_on=dt.date(2026, 7, 1)
    )
    GrantFactory(
        program=grant_program,
        status="submitted",
        amount_requested=25000,
        submission_deadline=dt.date(2026, 3, 1),
    )
    GrantFactory(
        program=proposed,
        status="awarded",
        amount_requested=10000,
        amount_awarded=Decimal("8000.50"),
        submission_deadline=dt.date(2026, 5, 15),
    )
    GrantFactory(program=fair, status="declined", submission_deadline=dt.date(2025, 6, 1))


def test_sessions_attendance_and_outcomes_per_quarter(programs):
    report = programs_report(**HALF)
    quarters = report.tables[0]
    assert quarters.columns == [
        "Quarter",
        "Sessions",
        "Attendance",
        "Sessions without a head count",
        "Outcomes recorded",
    ]
    assert quarters.rows == [["Q1 2026", 2, 35, 0, 1], ["Q2 2026", 3, 5, 2, 2]]
    assert quarters.footer == ["Total", 5, 40, 2, 3]
    assert report.chart.points == [("Q1 2026", 35), ("Q2 2026", 5)]


def test_programs_overlapping_the_period_by_kind_and_status(programs):
    table = programs_report(**HALF).tables[1]
    assert table.columns == [
        "Kind", "Proposed", "Planning", "Active", "Completed", "Cancelled", "Total"
    ]  # fmt: skip
    assert table.rows == [
        ["Workshop or seminar", 1, 0, 1, 0, 0, 2],
        ["Joint grant application", 0, 1, 0, 0, 0, 1],
    ]
    assert table.footer == ["Total", 1, 1, 1, 0, 0, 3]


def test_grants_requested_and_awarded_by_status(programs):
    table = programs_report(**HALF).tables[2]
    assert table.rows == [
        ["Submitted", 1, Decimal("25000.00"), Decimal("0.00")],
        ["Awarded", 1, Decimal("10000.00"), Decimal("8000.50")],
    ]
    assert table.footer == ["Total", 2, Decimal("35000.00"), Decimal("8000.50")]


def test_a_period_inside_one_quarter_shows_that_quarter(programs):
    report = programs_report(start=dt.date(2026, 2, 15), end=dt.date(2026, 2, 20))
    assert report.tables[0].rows == [["Q1 2026", 0, 0, 0, 0]]
