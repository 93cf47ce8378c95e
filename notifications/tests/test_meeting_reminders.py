"""Meeting reminders: from 2 p.m. the afternoon before, in each attendee's own time zone."""

import datetime as dt

import pytest

from mail.models import OutgoingEmail
from notifications.tests.helpers import (
    MONDAY,
    PROFILE,
    SITE,
    Kind,
    local,
    prefer,
    queued,
    scan,
    staff_member,
)
from outreach import services
from outreach.tests.factories import MeetingFactory
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planning(alice):
    """Tuesday 10 March, 10:00 in New York: a meeting Alice attends."""
    return MeetingFactory(
        title="Health fair planning",
        organization=OrganizationFactory(name="Riverside County Health"),
        starts_at=local(MONDAY + dt.timedelta(days=1), 10),
        staff=[alice],
        location="Main Library, Room 2",
    )


def test_a_meeting_reminder_is_queued_from_2_pm_the_afternoon_before(alice, planning):
    scan(local(MONDAY, 13, 59))
    assert queued(Kind.MEETING_REMINDER) == []
    scan(local(MONDAY, 14))
    scan(local(MONDAY, 16, 30))
    [reminder] = queued(Kind.MEETING_REMINDER)
    assert reminder.user == alice
    assert reminder.idempotency_key == (
        f"meeting_reminder:{planning.pk}:{alice.pk}:2026-03-10T14:00:00+00:00"
    )
    assert reminder.subject == "Reminder: Health fair planning, tomorrow at 10:00 AM EDT"
    for body in (reminder.body_text, reminder.body_html):
        assert "Tuesday, March 10, 2026, 10:00 AM to 11:00 AM EDT" in body
        assert "Riverside County Health" in body
        assert "Main Library, Room 2" in body
        assert f"{SITE}/meetings/{planning.pk}/" in body
        assert PROFILE in body
    assert reminder.related_url == f"/meetings/{planning.pk}/"


def test_each_attendee_is_reminded_in_their_own_time_zone(alice, planning):
    west = staff_member("jo_park", zone="America/Los_Angeles")
    planning.staff.add(west)
    scan(local(MONDAY, 14))  # 11:00 in Los Angeles
    assert [r.user for r in queued(Kind.MEETING_REMINDER)] == [alice]
    scan(local(MONDAY, 14, zone="America/Los_Angeles"))
    [_, jos] = queued(Kind.MEETING_REMINDER)
    assert jos.user == west
    assert jos.subject == "Reminder: Health fair planning, tomorrow at 7:00 AM PDT"
    assert "Also from the library: Alice Reyes" in jos.body_text


def test_a_reminder_missed_at_2_pm_is_sent_later_until_the_meeting_starts(alice, planning):
    tuesday = MONDAY + dt.timedelta(days=1)
    scan(local(tuesday, 9, 30))
    [reminder] = queued(Kind.MEETING_REMINDER)
    assert reminder.subject.startswith("Reminder: Health fair planning, today at 10:00 AM")
    other = MeetingFactory(title="Started already", starts_at=local(tuesday, 9), staff=[alice])
    scan(local(tuesday, 9, 45))
    assert not OutgoingEmail.objects.filter(idempotency_key__contains=f":{other.pk}:").exists()


def test_no_reminder_for_a_cancelled_meeting(alice, planning):
    services.meeting_cancel(meeting=planning)
    scan(local(MONDAY, 15))
    assert queued(Kind.MEETING_REMINDER) == []


def test_a_rescheduled_meeting_gets_a_fresh_reminder(alice, planning):
    scan(local(MONDAY, 14))
    planning.starts_at = local(MONDAY + dt.timedelta(days=1), 11)
    planning.ends_at = planning.starts_at + dt.timedelta(hours=1)
    services.meeting_save(meeting=planning, by=alice, staff=[alice])
    scan(local(MONDAY, 15))
    scan(local(MONDAY, 16))
    first, second = queued(Kind.MEETING_REMINDER)
    assert first.idempotency_key != second.idempotency_key
    assert "11:00 AM EDT" in second.subject


def test_no_reminder_when_meeting_reminders_are_off(alice, planning):
    prefer(alice, meeting_reminders=False)
    scan(local(MONDAY, 15))
    assert queued(Kind.MEETING_REMINDER) == []


def test_only_library_attendees_are_reminded(alice, planning):
    staff_member("sam_ortiz")
    scan(local(MONDAY, 15))
    assert [r.user for r in queued(Kind.MEETING_REMINDER)] == [alice]
