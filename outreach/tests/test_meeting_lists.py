"""The meeting lists and the month calendar, and the queries of the meeting pages."""

import datetime as dt

import pytest

from core.tests.clock import frozen_clock
from outreach.models import Meeting, Touchpoint
from outreach.tests.factories import MeetingFactory
from outreach.tests.helpers import MEETING_CALENDAR, MEETING_LIST, at, person_at
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

clock = frozen_clock()


def titles(response) -> list[str]:
    return [m.title for m in response.context["page"].object_list]


@pytest.fixture
def meetings(librarian, manager, county, clinic):
    return {
        "old": MeetingFactory(organization=county, title="Old", starts_at=at(1, 10)),
        "older": MeetingFactory(
            organization=county, title="Older", starts_at=at(20, 10, month=10), staff=[librarian]
        ),
        "soon": MeetingFactory(
            organization=county,
            title="Soon",
            starts_at=at(3, 9),
            staff=[librarian],
            other_organizations=[clinic],
        ),
        "later": MeetingFactory(
            organization=clinic, title="Later", starts_at=at(25, 14), staff=[manager]
        ),
        "called_off": MeetingFactory(
            organization=clinic,
            title="Called off",
            starts_at=at(4, 11),
            status=Meeting.Status.CANCELLED,
        ),
    }


def test_the_list_shows_upcoming_meetings_soonest_first(librarian_client, meetings):
    response = librarian_client.get(MEETING_LIST)
    assert titles(response) == ["Soon", "Called off", "Later"]
    html = response.content.decode()
    assert "Tue, Nov 3, 2026<br>9:00 a.m.–10:00 a.m." in html
    assert "Riverside County Health Department</a>, <a" in html  # both partners of "Soon"
    assert ">Cancelled</span>" in html and "<s>Called off</s>" in html


def test_the_list_shows_past_meetings_newest_first(librarian_client, meetings):
    assert titles(librarian_client.get(MEETING_LIST, {"when": "past"})) == ["Old", "Older"]


def test_only_mine_shows_meetings_i_attend(librarian_client, meetings):
    assert titles(librarian_client.get(MEETING_LIST, {"who": "mine"})) == ["Soon"]
    assert titles(librarian_client.get(MEETING_LIST, {"who": "mine", "when": "past"})) == ["Older"]
    assert titles(librarian_client.get(MEETING_LIST, {"who": "all"})) == [
        "Soon",
        "Called off",
        "Later",
    ]


def test_the_list_is_paginated_25_a_page(librarian_client, county):
    for i in range(30):
        MeetingFactory(
            organization=county, title=f"M{i:02}", starts_at=at(10, 8) + dt.timedelta(hours=i)
        )
    first, second = (
        librarian_client.get(MEETING_LIST),
        librarian_client.get(MEETING_LIST, {"page": 2}),
    )
    assert len(titles(first)) == 25 and titles(second) == [f"M{i:02}" for i in range(25, 30)]
    assert 'href="?page=2"' in first.content.decode()
    assert librarian_client.get(MEETING_LIST, {"page": "x<y"}).status_code == 200


def test_the_month_calendar_lists_each_days_meetings(librarian_client, meetings):
    response = librarian_client.get(MEETING_CALENDAR)
    assert response.context["month"] == dt.date(2026, 11, 1)
    weeks = response.context["weeks"]
    assert weeks[0][0]["date"] == dt.date(2026, 11, 1)  # November 1, 2026 is a Sunday
    assert all(len(week) == 7 for week in weeks)
    days = {d["date"]: [m.title for m in d["meetings"]] for week in weeks for d in week}
    assert days[dt.date(2026, 11, 3)] == ["Soon"]
    assert days[dt.date(2026, 11, 25)] == ["Later"]
    today = [d for week in weeks for d in week if d["is_today"]]
    assert [d["date"] for d in today] == [dt.date(2026, 11, 2)]
    html = response.content.decode()
    assert "<caption" in html and "November 2026" in html
    assert '<th scope="col"' in html and "Sunday" in html
    assert 'aria-current="date"' in html
    assert "?month=2026-10" in html and "?month=2026-12" in html


def test_the_month_calendar_can_show_only_mine(librarian_client, meetings):
    response = librarian_client.get(MEETING_CALENDAR, {"who": "mine"})
    found = [m.title for week in response.context["weeks"] for d in week for m in d["meetings"]]
    assert found == ["Soon"]


@pytest.mark.parametrize(
    "month", ["abc", "2026-13", "2026-00", "0000-01", "99999-01", "2026-1x", "<script>", ""]
)
def test_a_bad_month_shows_this_month(librarian_client, month):
    response = librarian_client.get(MEETING_CALENDAR, {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == dt.date(2026, 11, 1)


def test_another_month(librarian_client):
    response = librarian_client.get(MEETING_CALENDAR, {"month": "2027-02"})
    assert response.context["month"] == dt.date(2027, 2, 1)
    assert "February 2027" in response.content.decode()


# Query counts: a fixed number, whatever the number of meetings.

# Session, user, roles and profile (4), then the page's own queries.
MAX_QUERIES = {
    "meeting_list": 7,  # + count, page of meetings, their other organizations
    "meeting_calendar": 5,  # + the meetings of the month's weeks
    "meeting_detail": 8,  # + meeting (organization, creator, touchpoint), 3 prefetches
}


def make_meetings(n: int, librarian, county) -> None:
    others = [OrganizationFactory(name=f"Partner {i}") for i in range(3)]
    for i in range(n):
        MeetingFactory(
            organization=county,
            starts_at=at(3, 8) + dt.timedelta(hours=7 * i),
            staff=[librarian],
            other_organizations=others,
        )


@pytest.mark.parametrize("rows", [5, 60])
def test_meeting_list_queries(
    librarian_client, librarian, county, has_profile, rows, django_assert_max_num_queries
):
    make_meetings(rows, librarian, county)
    for params in ({}, {"who": "mine"}, {"when": "past"}):
        with django_assert_max_num_queries(MAX_QUERIES["meeting_list"]):
            librarian_client.get(MEETING_LIST, params)
    assert len(librarian_client.get(MEETING_LIST).context["page"].object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [5, 60])
def test_meeting_calendar_queries(
    librarian_client, librarian, county, has_profile, rows, django_assert_max_num_queries
):
    make_meetings(rows, librarian, county)
    with django_assert_max_num_queries(MAX_QUERIES["meeting_calendar"]):
        response = librarian_client.get(MEETING_CALENDAR)
    found = sum(len(d["meetings"]) for week in response.context["weeks"] for d in week)
    assert found == rows
    with django_assert_max_num_queries(MAX_QUERIES["meeting_calendar"]):
        librarian_client.get(MEETING_CALENDAR, {"who": "mine", "month": "2026-12"})


@pytest.mark.parametrize("rows", [5, 60])
def test_meeting_detail_queries(
    librarian_client, librarian, county, has_profile, rows, django_assert_max_num_queries
):
    meeting = MeetingFactory(
        organization=county,
        starts_at=at(1, 10),
        contacts=[person_at(county, f"Person {i}") for i in range(rows)],
        other_organizations=[OrganizationFactory() for _ in range(rows)],
        staff=[librarian],
    )
    Touchpoint.objects.create(
        organization=county,
        staff=librarian,
        occurred_on=dt.date(2026, 11, 1),
        meeting=meeting,
        subject="Logged",
    )
    with django_assert_max_num_queries(MAX_QUERIES["meeting_detail"]):
        response = librarian_client.get(meeting.get_absolute_url())
    assert response.status_code == 200
