"""The meeting lists and the month calendar, and the queries of the meeting pages."""

import datetime as dt

import pytest

from core.tests.clock import frozen_clock
from outreach.models import Meeting, Touchpoint
from outreach.selectors.meetings import CALENDAR_DAY_MEETINGS
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
    assert "Tue, Nov 3, 2026<br>9:00 AM–10:00 AM" in html
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


def test_a_busy_day_shows_its_first_three_meetings_and_how_many_more(librarian_client, county):
    for hour in range(7, 19):  # 12 meetings on Wednesday, November 4, 7 a.m. to 6 p.m.
        MeetingFactory(organization=county, title=f"At {hour}", starts_at=at(4, hour))
    MeetingFactory(organization=county, title="Alone", starts_at=at(5, 10))

    response = librarian_client.get(MEETING_CALENDAR)

    days = {d["date"]: d for week in response.context["weeks"] for d in week}
    busy, quiet = days[dt.date(2026, 11, 4)], days[dt.date(2026, 11, 5)]
    assert [m.title for m in busy["meetings"]] == ["At 7", "At 8", "At 9"]
    assert busy["more"] == 9
    assert [m.title for m in quiet["meetings"]] == ["Alone"] and quiet["more"] == 0
    html = response.content.decode()
    assert (
        '<a class="d-block mt-1 small fw-semibold" href="/meetings/?day=2026-11-04">+9 more'
        '<span class="visually-hidden"> meetings on November 4</span></a>'
    ) in html
    assert html.count("more<span") == 1


def test_plus_n_more_keeps_only_mine_and_counts_only_mine(librarian_client, librarian, county):
    for hour in range(8, 13):
        MeetingFactory(organization=county, starts_at=at(4, hour), staff=[librarian])
    MeetingFactory(organization=county, starts_at=at(4, 14))  # not mine
    html = librarian_client.get(MEETING_CALENDAR, {"who": "mine"}).content.decode()
    assert 'href="/meetings/?who=mine&amp;day=2026-11-04">+2 more<span' in html
    everyone = librarian_client.get(MEETING_CALENDAR).content.decode()
    assert 'href="/meetings/?day=2026-11-04">+3 more<span' in everyone


def test_a_day_that_ends_with_the_clocks_going_back_keeps_its_late_meetings(
    librarian_client, county
):
    # Sunday, November 1, 2026 is 25 hours long in New York: 11 p.m. is 04:00 UTC on the 2nd.
    late = dt.datetime(2026, 11, 2, 4, 0, tzinfo=dt.UTC)
    for minutes in range(0, 50, 10):
        MeetingFactory(organization=county, starts_at=late + dt.timedelta(minutes=minutes))
    response = librarian_client.get(MEETING_CALENDAR)
    days = {d["date"]: d for week in response.context["weeks"] for d in week}
    assert len(days[dt.date(2026, 11, 1)]["meetings"]) == 3
    assert days[dt.date(2026, 11, 1)]["more"] == 2
    assert days[dt.date(2026, 11, 2)]["meetings"] == []


def test_a_days_list_shows_all_its_meetings_past_or_not(librarian_client, librarian, county):
    for hour in range(7, 19):
        MeetingFactory(
            organization=county,
            title=f"At {hour}",
            starts_at=at(2, hour),  # today: the first are past, the rest upcoming
            staff=[librarian] if hour % 2 else [],
        )
    MeetingFactory(organization=county, title="Next day", starts_at=at(3, 9))

    response = librarian_client.get(MEETING_LIST, {"day": "2026-11-02"})

    assert titles(response) == [f"At {hour}" for hour in range(7, 19)]
    html = response.content.decode()
    assert "Meetings on Monday, November 2, 2026</h1>" in html
    assert 'href="/meetings/calendar/?month=2026-11">November 2026 calendar</a>' in html
    assert 'href="?day=2026-11-02&amp;who=mine">Only mine</a>' in html
    mine = librarian_client.get(MEETING_LIST, {"day": "2026-11-02", "who": "mine"})
    assert titles(mine) == [f"At {hour}" for hour in range(7, 19, 2)]
    empty = librarian_client.get(MEETING_LIST, {"day": "2026-11-09"}).content.decode()
    assert "No meetings on November 9, 2026." in empty


@pytest.mark.parametrize("day", ["2026-02-30", "2026-1-4", "20261104", "0000-01-01", "x", ""])
def test_a_bad_day_shows_the_upcoming_meetings(librarian_client, meetings, day):
    response = librarian_client.get(MEETING_LIST, {"day": day})
    assert response.status_code == 200
    assert titles(response) == ["Soon", "Called off", "Later"]


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
    "meeting_list": 4 + 3,  # count (up to COUNT_LIMIT rows), page of meetings, other partners
    "meeting_calendar": 5,  # + each day's first meetings and their number
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
    for params in ({}, {"who": "mine"}):
        with django_assert_max_num_queries(MAX_QUERIES["meeting_calendar"]):
            response = librarian_client.get(MEETING_CALENDAR, params)
        days = [d for week in response.context["weeks"] for d in week]
        # Three or four meetings a day: three shown, and "+1 more" for the fourth.
        assert all(len(d["meetings"]) <= CALENDAR_DAY_MEETINGS for d in days)
        assert sum(len(d["meetings"]) + d["more"] for d in days) == rows
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
