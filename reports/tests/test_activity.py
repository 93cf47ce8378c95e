"""Activity figures on fixed touchpoints, meetings and follow-ups."""

import datetime as dt

import pytest

from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from partners.tests.factories import OrganizationFactory
from reports.selectors import activity_report
from reports.tests.helpers import at

pytestmark = pytest.mark.django_db

PERIOD = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 2, 28)}


@pytest.fixture
def activity(librarian, manager):
    partner = OrganizationFactory(name="Alder County Health")
    for day, staff, channel in [
        (dt.date(2026, 1, 5), librarian, Touchpoint.Channel.PHONE),
        (dt.date(2026, 1, 20), librarian, Touchpoint.Channel.EMAIL),
        (dt.date(2026, 1, 31), manager, Touchpoint.Channel.PHONE),
        (dt.date(2026, 2, 1), manager, Touchpoint.Channel.IN_PERSON),
        (dt.date(2026, 2, 28), librarian, Touchpoint.Channel.PHONE),
        (dt.date(2025, 12, 31), librarian, Touchpoint.Channel.PHONE),  # before
        (dt.date(2026, 3, 1), manager, Touchpoint.Channel.PHONE),  # after
    ]:
        TouchpointFactory(organization=partner, staff=staff, occurred_on=day, channel=channel)
    for starts_at, status in [
        (at(2026, 1, 15, 15), Meeting.Status.HELD),
        (at(2026, 1, 16, 15), Meeting.Status.SCHEDULED),
        # 23:00 on January 31 in New York.
        (dt.datetime(2026, 2, 1, 4, 0, tzinfo=dt.UTC), Meeting.Status.HELD),
        (at(2026, 2, 10), Meeting.Status.CANCELLED),
        (at(2026, 3, 2), Meeting.Status.HELD),
    ]:
        MeetingFactory(organization=partner, starts_at=starts_at, status=status)
    for due_on, completed_at in [
        (dt.date(2026, 1, 10), at(2026, 1, 10, 15)),  # on time
        (dt.date(2026, 1, 10), at(2026, 1, 12, 15)),  # late
        # 23:00 on February 1 in New York: on the due day.
        (dt.date(2026, 2, 1), dt.datetime(2026, 2, 2, 4, 0, tzinfo=dt.UTC)),
        (dt.date(2026, 2, 1), at(2026, 3, 2)),  # completed after the period
        (dt.date(2026, 2, 1), None),  # still open
    ]:
        FollowUp.objects.create(
            title="Send the flyer",
            due_on=due_on,
            assignee=librarian,
            organization=partner,
            status=FollowUp.Status.DONE if completed_at else FollowUp.Status.OPEN,
            completed_at=completed_at,
        )


def test_per_month_counts_touchpoints_meetings_held_and_followups_on_time_or_late(activity):
    months = activity_report(**PERIOD).tables[0]
    assert months.columns == [
        "Month",
        "Touchpoints",
        "Meetings held",
        "Follow-ups done on time",
        "Follow-ups done late",
    ]
    assert months.rows == [["Jan 2026", 3, 2, 1, 1], ["Feb 2026", 2, 0, 1, 0]]
    assert months.footer == ["Total", 5, 2, 2, 1]


def test_touchpoints_by_staff_member_and_by_channel(activity):
    report = activity_report(**PERIOD)
    staff, channels = report.tables[1], report.tables[2]
    assert staff.columns == ["Month", "Alice Reyes", "Maria Chen", "Total"]
    assert staff.rows == [["Jan 2026", 2, 1, 3], ["Feb 2026", 1, 1, 2]]
    assert staff.footer == ["Total", 3, 2, 5]
    assert channels.columns == ["Month", "Phone call", "Email", "In-person meeting", "Total"]
    assert channels.rows == [["Jan 2026", 2, 1, 0, 3], ["Feb 2026", 1, 0, 1, 2]]
    assert report.chart.points == [("Jan 2026", 3), ("Feb 2026", 2)]


def test_every_month_of_the_period_is_listed_even_without_activity(activity):
    report = activity_report(start=dt.date(2025, 11, 15), end=dt.date(2026, 1, 10))
    assert [row[:2] for row in report.tables[0].rows] == [
        ["Nov 2025", 0],
        ["Dec 2025", 1],
        ["Jan 2026", 1],
    ]


def test_a_period_without_touchpoints_says_so_instead_of_empty_tables(db):
    report = activity_report(**PERIOD)
    assert report.tables[0].rows == [["Jan 2026", 0, 0, 0, 0], ["Feb 2026", 0, 0, 0, 0]]
    assert report.tables[1].rows == [] and report.tables[2].rows == []
