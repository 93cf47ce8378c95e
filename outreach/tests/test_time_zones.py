"""Meetings are typed and shown in each person's own time zone and stored in UTC."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from core.profiles import calendar_token_rotate, profile_update
from core.tests.clock import frozen_clock
from core.tests.factories import UserFactory
from outreach.models import Meeting
from outreach.tests.factories import MeetingFactory
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC

clock = frozen_clock()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(username: str, zone: str):
    user = UserFactory(username=username)
    profile_update(user=user, time_zone=zone)
    return user


@pytest.fixture
def organization():
    return OrganizationFactory(name="Riverside County Health Department")


def schedule(client: Client, organization, **fields):
    data = {"title": "Health fair planning", "date": "2027-01-14", "start_time": "10:00"}
    data |= {"end_time": "11:00", **fields}
    return client.post(reverse("outreach:meeting_create", args=[organization.pk]), data)


def feed_events(client: Client, user) -> list:
    token = calendar_token_rotate(user=user)
    response = client.get(reverse("outreach:calendar_feed", args=[token]))
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.mark.parametrize(
    ("zone", "day", "wall_time", "utc"),
    [
        # Winter: Pacific Standard Time is UTC-8.
        ("America/Los_Angeles", "2027-01-14", "10:00", dt.datetime(2027, 1, 14, 18, 0, tzinfo=UTC)),
        # Summer: Pacific Daylight Time is UTC-7.
        ("America/Los_Angeles", "2027-07-14", "10:00", dt.datetime(2027, 7, 14, 17, 0, tzinfo=UTC)),
        ("America/New_York", "2027-01-14", "10:00", dt.datetime(2027, 1, 14, 15, 0, tzinfo=UTC)),
        ("America/Phoenix", "2027-07-14", "10:00", dt.datetime(2027, 7, 14, 17, 0, tzinfo=UTC)),
        ("Pacific/Honolulu", "2027-07-14", "10:00", dt.datetime(2027, 7, 14, 20, 0, tzinfo=UTC)),
    ],
)
def test_a_meeting_typed_in_local_time_is_stored_in_utc(organization, zone, day, wall_time, utc):
    librarian = person("lee", zone)
    response = schedule(client_for(librarian), organization, date=day, start_time=wall_time)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert meeting.starts_at == utc
    assert meeting.ends_at == utc + dt.timedelta(hours=1)


def test_10am_in_los_angeles_is_1pm_in_new_york_on_every_page(organization):
    west = person("wes", "America/Los_Angeles")
    east = person("eve", "America/New_York")
    schedule(client_for(west), organization)
    meeting = Meeting.objects.get()
    assert meeting.starts_at == dt.datetime(2027, 1, 14, 18, 0, tzinfo=UTC)

    as_east = client_for(east)
    detail = as_east.get(meeting.get_absolute_url()).content.decode()
    assert "Thursday, January 14, 2027, 1:00 PM" in detail
    assert "2:00 PM" in detail and "EST" in detail
    listing = as_east.get(reverse("outreach:meeting_list")).content.decode()
    assert "Thu, Jan 14, 2027<br>1:00 PM–2:00 PM" in listing
    month = as_east.get(reverse("outreach:meeting_calendar"), {"month": "2027-01"})
    assert "1:00 PM" in month.content.decode()

    as_west = client_for(west)
    assert "10:00 AM" in as_west.get(meeting.get_absolute_url()).content.decode()
    # The edit form gives back the times as typed.
    form = as_west.get(reverse("outreach:meeting_edit", args=[meeting.pk])).context["form"]
    assert form["start_time"].value() == dt.time(10, 0)
    assert form["date"].value() == dt.date(2027, 1, 14)


@pytest.mark.parametrize(
    ("day", "utc"),
    [
        ("2027-01-14", dt.datetime(2027, 1, 14, 18, 0, tzinfo=UTC)),
        ("2027-07-14", dt.datetime(2027, 7, 14, 17, 0, tzinfo=UTC)),
    ],
)
def test_the_feed_gives_the_utc_instant(organization, day, utc):
    west = person("wes", "America/Los_Angeles")
    east = person("eve", "America/New_York")
    client = client_for(west)
    schedule(client, organization, date=day, staff=[west.pk, east.pk])
    for user in (west, east):
        (event,) = feed_events(Client(), user)
        assert event["DTSTART"].dt == utc
        assert event["DTEND"].dt == utc + dt.timedelta(hours=1)
        assert "DTSTART:" + utc.strftime("%Y%m%dT%H%M%SZ") in event.to_ical().decode()


def test_a_time_skipped_when_clocks_spring_forward_is_refused(organization):
    east = person("eve", "America/New_York")
    response = schedule(
        client_for(east), organization, date="2027-03-14", start_time="02:30", end_time="03:30"
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "start_time": ["That time does not exist on this day: the clocks change."]
    }
    assert "That time does not exist on this day: the clocks change." in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_end_time_in_the_skipped_hour_is_refused_next_to_the_end_time(organization):
    east = person("eve", "America/New_York")
    response = schedule(
        client_for(east), organization, date="2027-03-14", start_time="01:30", end_time="02:15"
    )
    assert list(response.context["form"].errors) == ["end_time"]
    assert not Meeting.objects.exists()


def test_a_repeated_time_when_clocks_fall_back_is_its_first_occurrence(organization):
    east = person("eve", "America/New_York")
    response = schedule(
        client_for(east), organization, date="2027-11-07", start_time="01:30", end_time="02:30"
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    # 01:30 EDT (UTC-4), the first of the two 01:30s; 02:30 EST (UTC-5) comes 2 hours later.
    assert meeting.starts_at == dt.datetime(2027, 11, 7, 5, 30, tzinfo=UTC)
    assert meeting.ends_at == dt.datetime(2027, 11, 7, 7, 30, tzinfo=UTC)


def test_the_month_calendar_puts_meetings_on_the_local_day(organization):
    # 23:30 on January 31 in Los Angeles is already February 1 in UTC and in New York.
    meeting = MeetingFactory(
        organization=organization,
        title="Late board call",
        starts_at=dt.datetime(2027, 2, 1, 7, 30, tzinfo=UTC),
    )
    url = reverse("outreach:meeting_calendar")
    west = client_for(person("wes", "America/Los_Angeles"))
    east = client_for(person("eve", "America/New_York"))

    def day_of(client, month):
        weeks = client.get(url, {"month": month}).context["weeks"]
        return [d["date"] for week in weeks for d in week if meeting in d["meetings"]]

    assert day_of(west, "2027-01") == [dt.date(2027, 1, 31)]
    assert day_of(east, "2027-02") == [dt.date(2027, 2, 1)]
    # Each grid shows whole weeks, so the neighbouring month's days carry their meetings too.
    assert day_of(east, "2027-01") == [dt.date(2027, 2, 1)]
    assert day_of(west, "2027-02") == [dt.date(2027, 1, 31)]


def test_a_follow_up_due_at_a_time_is_at_that_time_of_the_assignees_zone(organization):
    from outreach.services import followup_create

    west = person("wes", "America/Los_Angeles")
    followup_create(
        organization=organization,
        assignee=west,
        created_by=west,
        due_on=dt.date(2027, 1, 14),
        due_time=dt.time(9, 0),
        title="Send the flyer",
    )
    (event,) = feed_events(Client(), west)
    assert event["DTSTART"].dt == dt.datetime(2027, 1, 14, 17, 0, tzinfo=UTC)
    assert event["DTSTART"].dt.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles")).hour == 9
