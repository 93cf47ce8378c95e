"""iCalendar (RFC 5545) for meetings and follow-ups: one meeting's .ics and the private feed.

Timed events are written in UTC (…Z), which Google Calendar, Outlook and Apple Calendar all
read without a VTIMEZONE; follow-ups without a time are all-day events. UIDs are stable, so a
subscribed calendar updates an event in place instead of adding a copy.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from icalendar import Calendar, Event

from core.people import display_name
from outreach.models import FollowUp, Meeting

PRODID = "-//Liaison//Partnership CRM//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# How long a follow-up with a due time blocks in the calendar: a reminder, not a meeting.
FOLLOWUP_MINUTES = 30


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "liaison"


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def meeting_event(meeting: Meeting, *, stamp: dt.datetime) -> Event:
    """Needs meeting.organization and meeting.other_organizations loaded (see the selectors)."""
    url = absolute_url(meeting.get_absolute_url())
    partners = [meeting.organization, *meeting.other_organizations.all()]
    description = []
    if meeting.agenda:
        description.append(meeting.agenda.strip())
    description.append("With: " + ", ".join(o.name for o in partners))
    if meeting.location and meeting.video_link:
        description.append(f"Video link: {meeting.video_link}")
    description.append(f"In Liaison: {url}")

    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", meeting.title)
    if meeting.location or meeting.video_link:
        event.add("location", meeting.location or meeting.video_link)
    event.add("description", "\n\n".join(description))
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    event.add("last-modified", _utc(meeting.updated_at))
    event.add("created", _utc(meeting.created_at))
    return event


def followup_event(followup: FollowUp, *, zone: zoneinfo.ZoneInfo, stamp: dt.datetime) -> Event:
    """All day on the due date, or at the due time of the assignee's own time zone."""
    url = absolute_url(followup.organization.get_absolute_url())
    event = Event()
    event.add("uid", f"followup-{followup.pk}@{_host()}")
    event.add("dtstamp", stamp)
    if followup.due_time is None:
        event.add("dtstart", followup.due_on)
        event.add("dtend", followup.due_on + dt.timedelta(days=1))
    else:
        start = timezone.make_aware(dt.datetime.combine(followup.due_on, followup.due_time), zone)
        event.add("dtstart", _utc(start))
        event.add("dtend", _utc(start + dt.timedelta(minutes=FOLLOWUP_MINUTES)))
    event.add("summary", f"{followup.title} ({followup.organization.name})")
    description = [followup.details.strip()] if followup.details.strip() else []
    description.append(f"{followup.organization.name} in Liaison: {url}")
    event.add("description", "\n\n".join(description))
    event.add("url", url)
    # A reminder to act, not time spent: it does not make the person look busy.
    event.add("transp", "TRANSPARENT")
    event.add("last-modified", _utc(followup.updated_at))
    return event


def meeting_ics(meeting: Meeting) -> bytes:
    calendar = _calendar()
    calendar.add_component(meeting_event(meeting, stamp=timezone.now()))
    return calendar.to_ical()


def feed_ics(
    *,
    user: User,
    time_zone: str,
    meetings: Iterable[Meeting],
    followups: Iterable[FollowUp],
) -> bytes:
    """A person's private feed: their meetings and open follow-ups."""
    zone = zoneinfo.ZoneInfo(time_zone)
    stamp = timezone.now()
    calendar = _calendar()
    calendar.add("x-wr-calname", f"Liaison – {display_name(user)}")
    calendar.add("x-wr-timezone", time_zone)
    calendar.add("x-wr-caldesc", "Meetings and follow-ups from Liaison")
    # How often a subscribed calendar should look again (RFC 7986, and Outlook's own name).
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp=stamp))
    for followup in followups:
        calendar.add_component(followup_event(followup, zone=zone, stamp=stamp))
    return calendar.to_ical()
