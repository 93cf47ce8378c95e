"""The daily digest a person gets at 8:00 in their own time zone: what is due, today's
meetings, grant deadlines they lead, progress updates to review."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from core.models import StaffProfile
from core.profiles import profile_update
from mail.models import OutgoingEmail
from notifications.services import staff_emails_queue_due
from notifications.tests.helpers import (
    DST_ZONES,
    MONDAY,
    PROFILE,
    SITE,
    Kind,
    followup,
    local,
    prefer,
    queued,
    scan,
    staff_member,
)
from outreach.models import FollowUp, Meeting
from outreach.tests.factories import MeetingFactory
from partners.tests.factories import OrganizationFactory
from programs.models import Program
from programs.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


def test_a_due_followup_gives_exactly_one_digest_with_its_title_organization_and_date(alice):
    item = followup(alice, due_on=MONDAY - dt.timedelta(days=1))
    for moment in (local(MONDAY, 7, 59), local(MONDAY, 8), local(MONDAY, 8), local(MONDAY, 17)):
        scan(moment)
    [digest] = queued(Kind.DIGEST)
    assert digest.idempotency_key == f"digest:{alice.pk}:2026-03-09"
    assert digest.to_address == "alice_reyes@library.example.org"
    assert digest.to_name == "Alice Reyes"
    assert digest.created_at == local(MONDAY, 8)
    assert digest.subject == "Your Liaison day, Monday, March 9: 1 overdue follow-up"
    for body in (digest.body_text, digest.body_html):
        assert "Send the book-drive flyer" in body
        assert "Riverside County Health" in body
        assert "was due Sunday, March 8" in body
        assert f"{SITE}/followups/" in body
        assert f"{SITE}/organizations/{item.organization_id}/" in body
        # Why they get it, and where to change it.
        assert PROFILE in body
        assert "America/New_York" in body
    assert "every day" in digest.body_text


def test_a_digest_lists_todays_meetings_and_the_deadlines_of_grants_one_leads(alice):
    colleague = staff_member("sam_ortiz")
    MeetingFactory(
        title="Health fair planning",
        starts_at=local(MONDAY, 14),
        staff=[alice],
        location="Main Library, Room 2",
    )
    MeetingFactory(title="Cancelled visit", starts_at=local(MONDAY, 10), staff=[alice])
    Meeting.objects.filter(title="Cancelled visit").update(status=Meeting.Status.CANCELLED)
    MeetingFactory(title="Tomorrow's call", starts_at=local(MONDAY, 23, 30), staff=[colleague])
    mine = Program.objects.create(title="Seed library", kind=Program.Kind.GRANT, lead=alice)
    GrantFactory(
        program=mine, funder="River Valley Foundation", submission_deadline=dt.date(2026, 3, 13)
    )
    theirs = Program.objects.create(title="Tech help", kind=Program.Kind.GRANT, lead=colleague)
    GrantFactory(program=theirs, funder="State Library", submission_deadline=dt.date(2026, 3, 12))
    later = Program.objects.create(title="Story walk", kind=Program.Kind.GRANT, lead=alice)
    GrantFactory(program=later, funder="Arts Council", submission_deadline=dt.date(2026, 3, 20))

    scan(local(MONDAY, 8))

    [digest] = queued(Kind.DIGEST, alice)
    assert digest.subject == "Your Liaison day, Monday, March 9: 1 meeting, 1 grant deadline"
    text = digest.body_text
    assert "2:00 PM to 3:00 PM EDT: Health fair planning" in text
    assert "Main Library, Room 2" in text
    assert "Cancelled visit" not in text and "Tomorrow's call" not in text
    assert "River Valley Foundation: Seed library" in text
    assert "Deadline Friday, March 13 (due in 4 days)" in text
    assert "State Library" not in text and "Arts Council" not in text
    meeting = Meeting.objects.get(title="Health fair planning")
    assert f"{SITE}/meetings/{meeting.pk}/" in digest.body_html
    # Sam's meeting is late tonight in New York: his digest, in Sam's day, has it.
    [sams] = queued(Kind.DIGEST, colleague)
    assert "11:30 PM to 12:30 AM EDT: Tomorrow's call" in sams.body_text


def test_nothing_to_say_means_no_digest(alice):
    followup(alice, due_on=MONDAY + dt.timedelta(days=1), title="Due tomorrow")
    done = followup(alice, due_on=MONDAY - dt.timedelta(days=3), title="Done already")
    FollowUp.objects.filter(pk=done.pk).update(status=FollowUp.Status.CANCELLED)
    scan(local(MONDAY, 8))
    scan(local(MONDAY, 12))
    assert queued(Kind.DIGEST) == []


def test_no_digest_when_the_preference_is_never(alice):
    prefer(alice, digest=StaffProfile.Digest.OFF)
    followup(alice, due_on=MONDAY)
    scan(local(MONDAY, 8))
    assert queued(Kind.DIGEST) == []


def test_weekdays_only_skips_saturday_and_sunday_in_the_persons_own_time_zone():
    sydney = "Australia/Sydney"
    person = staff_member("kim_lee", zone=sydney, digest=StaffProfile.Digest.WEEKDAYS)
    followup(person, due_on=dt.date(2026, 3, 1))
    saturday, sunday, monday = dt.date(2026, 3, 14), dt.date(2026, 3, 15), dt.date(2026, 3, 16)
    # 08:00 on Saturday in Sydney is still Friday in New York and in UTC.
    assert local(saturday, 8, zone=sydney).astimezone(dt.UTC).weekday() == 4
    for day in (saturday, sunday, monday):
        scan(local(day, 8, zone=sydney))
        scan(local(day, 12, zone=sydney))
    [digest] = queued(Kind.DIGEST)
    assert digest.idempotency_key == f"digest:{person.pk}:2026-03-16"
    assert "weekdays only" in digest.body_text


def test_yesterdays_digest_is_never_sent_late_todays_is(alice):
    followup(alice, due_on=MONDAY - dt.timedelta(days=5))
    # The workers were down all Monday; they come back on Tuesday at 6:00, then 10:00.
    tuesday = MONDAY + dt.timedelta(days=1)
    scan(local(tuesday, 6))
    assert queued(Kind.DIGEST) == []
    scan(local(tuesday, 10))
    [digest] = queued(Kind.DIGEST)
    assert digest.idempotency_key == f"digest:{alice.pk}:2026-03-10"


def test_two_scans_at_the_same_instant_queue_one_digest(alice):
    followup(alice, due_on=MONDAY)
    moment = local(MONDAY, 8, 5)
    scan(moment)
    # A restart, or a second worker running the same beat tick: the key turns it into nothing.
    report = scan(moment)
    assert len(queued(Kind.DIGEST)) == 1
    assert report.digests == 0


def test_moving_to_another_time_zone_never_gives_two_digests_for_one_day():
    person = staff_member("lena_vogel", zone="Europe/Berlin")
    followup(person, due_on=MONDAY - dt.timedelta(days=1))
    scan(local(MONDAY, 8, zone="Europe/Berlin"))
    profile_update(user=person, time_zone="America/Los_Angeles")
    # Still Monday in Los Angeles, hours later, at 08:00 and after.
    scan(local(MONDAY, 8, zone="America/Los_Angeles"))
    scan(local(MONDAY, 15, zone="America/Los_Angeles"))
    [digest] = queued(Kind.DIGEST)
    assert digest.idempotency_key == f"digest:{person.pk}:2026-03-09"
    # Tuesday in Los Angeles gets its own.
    scan(local(MONDAY + dt.timedelta(days=1), 8, zone="America/Los_Angeles"))
    assert len(queued(Kind.DIGEST)) == 2


@pytest.mark.parametrize(
    ("zone", "first_day"),
    [
        pytest.param("America/New_York", dt.date(2026, 3, 6), id="New_York-march"),
        pytest.param("America/Los_Angeles", dt.date(2026, 3, 6), id="Los_Angeles-march"),
        pytest.param("Europe/Berlin", dt.date(2026, 3, 27), id="Berlin-march"),
        pytest.param("Australia/Sydney", dt.date(2026, 4, 3), id="Sydney-april"),
        pytest.param("America/New_York", dt.date(2026, 10, 30), id="New_York-november"),
        pytest.param("America/Los_Angeles", dt.date(2026, 10, 30), id="Los_Angeles-november"),
        pytest.param("Europe/Berlin", dt.date(2026, 10, 23), id="Berlin-october"),
        pytest.param("Australia/Sydney", dt.date(2026, 10, 2), id="Sydney-october"),
    ],
)
def test_one_digest_per_local_day_at_8_local_across_a_dst_change(zone, first_day):
    """Every 15 minutes for four days around the zone's clock change, the scan runs."""
    people = {name: staff_member(f"user{i}", zone=name) for i, name in enumerate(DST_ZONES)}
    for person in people.values():
        followup(person, due_on=dt.date(2026, 1, 5), title="An old promise")
    start = dt.datetime.combine(first_day, dt.time(0), tzinfo=dt.UTC)
    end = start + dt.timedelta(days=4)
    tz = zoneinfo.ZoneInfo(zone)
    # The window really spans a change of the zone's UTC offset.
    assert start.astimezone(tz).utcoffset() != end.astimezone(tz).utcoffset()

    with time_machine.travel(start, tick=False) as traveller:
        # Liaison was running before the window: what it queued then (late in some zones'
        # day) is not what this test looks at.
        staff_emails_queue_due()
        before = set(OutgoingEmail.objects.values_list("pk", flat=True))
        moment = start + dt.timedelta(minutes=15)
        while moment < end:
            traveller.move_to(moment)
            staff_emails_queue_due()
            moment += dt.timedelta(minutes=15)

    for name, person in people.items():
        person_zone = zoneinfo.ZoneInfo(name)
        expected = set()
        day = first_day - dt.timedelta(days=1)
        while day <= end.date() + dt.timedelta(days=1):
            if start < dt.datetime.combine(day, dt.time(8), tzinfo=person_zone) < end:
                expected.add(day)
            day += dt.timedelta(days=1)
        digests = [d for d in queued(Kind.DIGEST, person) if d.pk not in before]
        days = [dt.date.fromisoformat(d.idempotency_key.rsplit(":", 1)[1]) for d in digests]
        assert sorted(days) == sorted(expected), name
        assert len(days) == len(set(days)), name  # one per local day
        for digest, day in zip(digests, days, strict=True):
            created = digest.created_at.astimezone(person_zone)
            assert (created.date(), created.hour, created.minute) == (day, 8, 0), name


def test_a_progress_update_waiting_for_review_is_in_its_owners_digest_and_dashboard(alice, client):
    from updates.models import ProgressSubscription, ProgressUpdate

    organization = OrganizationFactory(name="Riverside Health Clinic")
    subscription = ProgressSubscription.objects.create(
        organization=organization, owner=alice, created_by=alice
    )
    update = ProgressUpdate.objects.create(
        subscription=subscription,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 2, 28),
        subject="Our work together",
    )
    scan(local(MONDAY, 8))
    [digest] = queued(Kind.DIGEST, alice)
    assert digest.subject.endswith("1 progress update to review")
    assert "PROGRESS UPDATES TO REVIEW" in digest.body_text
    assert SITE + update.get_absolute_url() in digest.body_text
    assert SITE + update.get_absolute_url() in digest.body_html
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "Progress updates to review (1)" in page
    assert update.get_absolute_url() in page
    # Once skipped, it is no longer waiting anywhere.
    ProgressUpdate.objects.filter(pk=update.pk).update(status=ProgressUpdate.Status.SKIPPED)
    assert "Progress updates to review" not in client.get(reverse("home")).content.decode()
