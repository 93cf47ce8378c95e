"""Helpers shared by the outreach tests: people at partners, and the meeting pages and forms."""

import datetime as dt

import icalendar
from django.urls import reverse

from outreach.models import Meeting
from partners.models import Contact, Organization
from partners.tests.factories import AffiliationFactory, ContactFactory

MEETING_LIST = reverse("outreach:meeting_list")
MEETING_CALENDAR = reverse("outreach:meeting_calendar")


def person_at(organization: Organization, name: str) -> Contact:
    return AffiliationFactory(organization=organization, contact=ContactFactory(name=name)).contact


def at(day: int, hour: int, month: int = 11) -> dt.datetime:
    """A moment in November 2026, New York time (UTC-5)."""
    return dt.datetime(2026, month, day, hour + 5, 0, tzinfo=dt.UTC)


def ical_time(event: icalendar.Component, name: str) -> dt.date:
    """An event's DTSTART, DTEND or DTSTAMP as parsed: a date, or a datetime (a kind of date)."""
    prop = event[name]
    assert isinstance(prop, icalendar.vDDDTypes) and isinstance(prop.dt, dt.date)
    return prop.dt


def meeting_data(**fields: str | list) -> dict:
    return {
        "title": "Health fair planning",
        "date": "2026-11-20",
        "start_time": "10:00",
        "end_time": "11:30",
        "location": "Main Library, Room 2",
        "agenda": "Tables\nFlyers",
        **fields,
    }


def meeting_create_url(organization: Organization) -> str:
    return reverse("outreach:meeting_create", args=[organization.pk])


def meeting_held_url(meeting: Meeting) -> str:
    return reverse("outreach:meeting_held", args=[meeting.pk])
