"""The private iCalendar feed: one person's meetings and open follow-ups, behind a secret URL."""

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from core.profiles import calendar_token_rotate, profile_for, profile_update
from core.tests.clock import NOW, frozen_clock
from outreach import services
from outreach.models import Meeting
from outreach.tests.factories import MeetingFactory
from outreach.tests.helpers import ical_time
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC

clock = frozen_clock(NOW)


@pytest.fixture
def anonymous() -> Client:
    """Calendar apps fetch the feed with no session at all."""
    return Client()


def feed_url(user) -> str:
    """A new address of the feed of `user`: Liaison shows a token only when it makes one."""
    return reverse("outreach:calendar_feed", args=[calendar_token_rotate(user=user)])


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar: icalendar.Calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def followup(organization, assignee, title, **fields):
    return services.followup_create(
        organization=organization,
        assignee=assignee,
        created_by=assignee,
        due_on=fields.pop("due_on", dt.date(2026, 11, 10)),
        title=title,
        **fields,
    )


def test_the_feed_works_without_logging_in(anonymous, librarian, settings):
    settings.SITE_URL = "https://liaison.example-library.org"
    response = anonymous.get(feed_url(librarian))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Liaison//")
    assert calendar["CALSCALE"] == "GREGORIAN" and calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Liaison – Alice Reyes"
    assert calendar["X-WR-TIMEZONE"] == "America/New_York"
    assert anonymous.head(feed_url(librarian)).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "not-a-real-token-but-long-enough",
        "x",
        "a" * 65,
        "%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00",
        "<script>alert(1)</script>",
        "..%2F..%2Fetc%2Fpasswd",
        "%F0%9F%93%85" * 6,
        "'; DROP TABLE core_staffprofile; --",
    ],
)
def test_an_unknown_or_odd_token_is_404(anonymous, librarian, token):
    profile_for(librarian)
    response = anonymous.get(f"/calendar/{token}.ics")
    assert response.status_code == 404


def test_a_rotated_token_kills_the_old_address_at_once(anonymous, librarian):
    old = feed_url(librarian)
    assert anonymous.get(old).status_code == 200
    calendar_token_rotate(user=librarian)
    new = feed_url(librarian)
    assert new != old
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200


def test_an_inactive_users_feed_is_gone(anonymous, librarian):
    url = feed_url(librarian)
    librarian.is_active = False
    librarian.save()
    assert anonymous.get(url).status_code == 404


def test_the_feed_holds_my_meetings_and_follow_ups_only(anonymous, librarian, manager, county):
    MeetingFactory(
        organization=county,
        title="I attend",
        starts_at=NOW + dt.timedelta(days=3),
        staff=[librarian, manager],
    )
    MeetingFactory(
        organization=county,
        title="I arranged",
        starts_at=NOW + dt.timedelta(days=4),
        created_by=librarian,
    )
    MeetingFactory(
        organization=county,
        title="Maria's meeting",
        starts_at=NOW + dt.timedelta(days=3),
        staff=[manager],
        created_by=manager,
    )
    MeetingFactory(
        organization=county,
        title="Long ago",
        starts_at=NOW - dt.timedelta(days=91),
        staff=[librarian],
    )
    MeetingFactory(
        organization=county,
        title="Last month",
        starts_at=NOW - dt.timedelta(days=30),
        staff=[librarian],
    )
    followup(county, librarian, "Send the floor plan")
    followup(county, manager, "Maria's follow-up")
    done = followup(county, librarian, "Already done")
    services.followup_complete(followup=done, by=librarian)
    services.followup_cancel(followup=followup(county, librarian, "Not needed"))

    mine = summaries(parse(anonymous.get(feed_url(librarian))))
    assert mine == {
        "I attend",
        "I arranged",
        "Last month",
        "Send the floor plan (Riverside County Health Department)",
    }
    hers = summaries(parse(anonymous.get(feed_url(manager))))
    assert hers == {
        "I attend",
        "Maria's meeting",
        "Maria's follow-up (Riverside County Health Department)",
    }


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(anonymous, librarian, county):
    meeting = MeetingFactory(
        organization=county,
        title="Called off",
        starts_at=NOW + dt.timedelta(days=3),
        staff=[librarian],
    )
    uid_before = str(parse(anonymous.get(feed_url(librarian))).walk("VEVENT")[0]["UID"])
    services.meeting_cancel(meeting=meeting)
    (event,) = parse(anonymous.get(feed_url(librarian))).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid_before  # the same event, so calendars update it


def test_meeting_events_are_complete_and_in_utc(anonymous, librarian, county, settings):
    settings.SITE_URL = "https://liaison.example-library.org"
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    meeting = MeetingFactory(
        organization=county,
        title="Fair planning",
        starts_at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
        location="Main Library, Room 2",
        video_link="https://meet.example.org/abc",
        agenda="Tables\nFlyers",
        staff=[librarian],
        other_organizations=[clinic],
    )
    response = anonymous.get(feed_url(librarian))
    (event,) = parse(response).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@liaison.example-library.org"
    assert ical_time(event, "DTSTART") == dt.datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert str(event["LOCATION"]) == "Main Library, Room 2"
    description = str(event["DESCRIPTION"])
    assert "Tables\nFlyers" in description
    assert "Riverside County Health Department, Eastside Community Clinic" in description
    assert "https://meet.example.org/abc" in description
    assert f"https://liaison.example-library.org/meetings/{meeting.pk}/" in description
    assert str(event["STATUS"]) == "CONFIRMED"
    stamp = ical_time(event, "DTSTAMP")
    assert isinstance(stamp, dt.datetime) and stamp.tzinfo is not None
    raw = response.content.decode()
    assert "DTSTART:20261120T150000Z" in raw and "DTEND:20261120T160000Z" in raw


def test_follow_ups_are_all_day_or_at_their_time(anonymous, librarian, county, settings):
    settings.SITE_URL = "https://liaison.example-library.org"
    profile_update(user=librarian, time_zone="America/Chicago")
    all_day = followup(county, librarian, "Send the flyer", due_on=dt.date(2026, 11, 10))
    timed = followup(
        county, librarian, "Call back", due_on=dt.date(2026, 11, 12), due_time=dt.time(14, 30)
    )
    response = anonymous.get(feed_url(librarian))
    events = {str(e["UID"]): e for e in parse(response).walk("VEVENT")}
    host = "liaison.example-library.org"
    day = events[f"followup-{all_day.pk}@{host}"]
    assert ical_time(day, "DTSTART") == dt.date(2026, 11, 10)
    assert ical_time(day, "DTEND") == dt.date(2026, 11, 11)
    assert "DTSTART;VALUE=DATE:20261110" in response.content.decode()
    assert f"https://{host}/organizations/{county.pk}/" in str(day["URL"])
    at_time = events[f"followup-{timed.pk}@{host}"]
    # 14:30 in Chicago (CST, UTC-6) is 20:30 UTC.
    assert ical_time(at_time, "DTSTART") == dt.datetime(2026, 11, 12, 20, 30, tzinfo=UTC)
    assert all("DTSTAMP" in e for e in events.values())


def test_a_follow_up_due_in_year_9999_is_refused_so_the_feed_keeps_working(
    anonymous, client, librarian, county
):
    """A typo'd year would make the feed's end time overflow: every refresh a server error."""
    client.force_login(librarian)
    typo = "9999-12-31"
    create = client.post(
        reverse("outreach:followup_create", args=[county.pk]),
        {"title": "Call", "due_on": typo, "due_time": "23:50", "assignee": librarian.pk},
    )
    assert create.status_code == 200 and "due_on" in create.context["form"].errors
    logged = client.post(
        reverse("outreach:touchpoint_create", args=[county.pk]),
        {
            "occurred_on": "2026-11-02",
            "channel": "phone",
            "subject": "Called",
            "follow_up": "date",
            "follow_up_on": typo,
        },
    )
    assert logged.status_code == 200 and "follow_up_on" in logged.context["form"].errors
    existing = followup(county, librarian, "Send the flyer")
    client.post(reverse("outreach:followup_snooze", args=[existing.pk]), {"until": typo})
    existing.refresh_from_db()
    assert existing.due_on == dt.date(2026, 11, 10)
    assert summaries(parse(anonymous.get(feed_url(librarian)))) == {
        "Send the flyer (Riverside County Health Department)"
    }


def test_hostile_text_is_escaped_by_the_format(anonymous, librarian, county):
    MeetingFactory(
        organization=county,
        title="Line one\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
        starts_at=NOW + dt.timedelta(days=3),
        staff=[librarian],
    )
    calendar = parse(anonymous.get(feed_url(librarian)))
    assert len(calendar.walk("VEVENT")) == 1


@pytest.mark.parametrize("rows", [5, 60])
def test_calendar_feed_queries(anonymous, librarian, county, rows, django_assert_num_queries):
    others = [OrganizationFactory() for _ in range(3)]
    for i in range(rows):
        MeetingFactory(
            organization=county,
            starts_at=NOW + dt.timedelta(hours=7 * i),
            staff=[librarian],
            other_organizations=others,
            status=Meeting.Status.CANCELLED if i % 5 == 0 else Meeting.Status.SCHEDULED,
        )
        followup(county, librarian, f"Follow up {i}", due_time=dt.time(9, 0) if i % 2 else None)
    url = feed_url(librarian)
    # The profile and its user, the meetings, their other organizations, the follow-ups.
    with django_assert_num_queries(4):
        response = anonymous.get(url)
    assert len(parse(response).walk("VEVENT")) == 2 * rows
