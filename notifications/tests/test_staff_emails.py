"""The emails Liaison sends to staff: digest, meeting reminders, manager summary, follow-ups.

Each test looks at the outbox rows (core.models.OutgoingEmail) a scan or a service queued.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from core import roles
from core.models import StaffProfile
from core.profiles import profile_for, profile_update
from core.tests.factories import UserFactory
from mail.models import OutgoingEmail
from notifications.services import staff_emails_queue_due
from outreach import services
from outreach.models import FollowUp, Meeting
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from programs.models import Program
from programs.services import grants as grant_services
from programs.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind
SITE = "https://liaison.example-library.org"
NEW_YORK = "America/New_York"
# Monday 9 March 2026, the day after the United States moved its clocks forward.
MONDAY = dt.date(2026, 3, 9)
PROFILE = SITE + reverse("profile")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def local(day: dt.date, hour: int, minute: int = 0, zone: str = NEW_YORK) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def staff_member(username: str, *, zone: str = NEW_YORK, role: str = roles.LIBRARIAN, **prefs):
    first, last = username.split("_") if "_" in username else (username, "")
    user = UserFactory(
        username=username, first_name=first.title(), last_name=last.title(), role=role
    )
    profile = profile_for(user)
    profile.time_zone = zone
    for name, value in prefs.items():
        setattr(profile, name, value)
    profile.save()
    return user


def prefer(user, **prefs) -> None:
    """Change a person's email preferences, as their profile page does."""
    profile = profile_for(user)
    for name, value in prefs.items():
        setattr(profile, name, value)
    profile.save()


def followup(assignee, *, due_on: dt.date, title: str = "Send the book-drive flyer", **fields):
    fields.setdefault("organization", OrganizationFactory(name="Riverside County Health"))
    return FollowUp.objects.create(assignee=assignee, due_on=due_on, title=title, **fields)


def scan(now: dt.datetime):
    with time_machine.travel(now, tick=False):
        return staff_emails_queue_due()


def queued(kind: str, user=None) -> list[OutgoingEmail]:
    qs = OutgoingEmail.objects.filter(kind=kind).order_by("created_at", "pk")
    if user is not None:
        qs = qs.filter(user=user)
    return list(qs)


@pytest.fixture
def alice():
    return staff_member("alice_reyes")


# --- The daily digest ---------------------------------------------------------------------


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


DST_ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Berlin", "Australia/Sydney"]


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


# --- Meeting reminders --------------------------------------------------------------------


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


# --- The weekly manager summary -----------------------------------------------------------


@pytest.fixture
def maria():
    return staff_member("maria_chen", role=roles.MANAGER)


@pytest.fixture
def omar():
    return staff_member("omar_haddad", role=roles.MANAGER)


def summary_of(user) -> OutgoingEmail:
    [summary] = queued(Kind.MANAGER_SUMMARY, user)
    return summary


def test_the_manager_summary_goes_out_on_monday_at_8_local_only(alice, maria):
    followup(alice, due_on=MONDAY - dt.timedelta(days=10))
    sunday = MONDAY - dt.timedelta(days=1)
    scan(local(sunday, 8))
    scan(local(MONDAY, 7, 59))
    assert queued(Kind.MANAGER_SUMMARY) == []
    scan(local(MONDAY, 8))
    scan(local(MONDAY, 11))
    summary = summary_of(maria)
    assert summary.idempotency_key == f"manager_summary:{maria.pk}:2026-W11"
    assert summary.created_at == local(MONDAY, 8)
    assert summary.subject.startswith("Liaison weekly summary, week of March 9: ")
    assert PROFILE in summary.body_text
    # Librarians get no manager summary; Tuesday brings none either.
    assert queued(Kind.MANAGER_SUMMARY, alice) == []
    scan(local(MONDAY + dt.timedelta(days=1), 8))
    assert len(queued(Kind.MANAGER_SUMMARY)) == 1


def test_a_week_overdue_followup_goes_to_the_assignees_own_manager(alice, maria, omar):
    prefer(alice, reports_to=maria)
    followup(alice, due_on=MONDAY - dt.timedelta(days=7), title="Return the MOU draft")
    followup(alice, due_on=MONDAY - dt.timedelta(days=6), title="Only six days late")
    scan(local(MONDAY, 8))
    summary = summary_of(maria)
    for body in (summary.body_text, summary.body_html):
        assert "Return the MOU draft" in body
        assert "Alice Reyes" in body and "7 days ago" in body
        assert "Only six days late" not in body
    assert f"{SITE}/followups/?assignee={alice.pk}" in summary.body_text
    assert "1 follow-up a week overdue" in summary.subject
    # Omar is not Alice's manager, and has nothing else to read about: no summary for him.
    assert queued(Kind.MANAGER_SUMMARY, omar) == []


def test_without_a_named_manager_every_manager_hears_of_the_overdue_followup(alice, maria, omar):
    followup(alice, due_on=MONDAY - dt.timedelta(days=12), title="Return the MOU draft")
    scan(local(MONDAY, 8))
    for manager in (maria, omar):
        assert "Return the MOU draft" in summary_of(manager).body_text


def test_the_summary_lists_quiet_partners_grant_deadlines_and_touchpoints_by_person(alice, maria):
    bob = staff_member("bob_stone")
    quiet = OrganizationFactory(name="Eastside Food Bank", stage=Stage.ACTIVE, owner=alice)
    TouchpointFactory(organization=quiet, staff=alice, occurred_on=MONDAY - dt.timedelta(days=90))
    lively = OrganizationFactory(name="Northside School", stage=Stage.ACTIVE)
    for days_ago in (1, 3, 7):
        TouchpointFactory(
            organization=lively, staff=alice, occurred_on=MONDAY - dt.timedelta(days=days_ago)
        )
    TouchpointFactory(organization=lively, staff=bob, occurred_on=MONDAY - dt.timedelta(days=2))
    # Outside last week: today's, and eight days ago.
    TouchpointFactory(organization=lively, staff=bob, occurred_on=MONDAY)
    TouchpointFactory(organization=lively, staff=bob, occurred_on=MONDAY - dt.timedelta(days=8))
    program = Program.objects.create(title="Seed library", kind=Program.Kind.GRANT, lead=alice)
    GrantFactory(
        program=program,
        funder="River Valley Foundation",
        submission_deadline=MONDAY + dt.timedelta(days=12),
    )
    far = Program.objects.create(title="Story walk", kind=Program.Kind.GRANT)
    GrantFactory(
        program=far, funder="Arts Council", submission_deadline=MONDAY + dt.timedelta(days=20)
    )

    scan(local(MONDAY, 8))

    text = summary_of(maria).body_text
    assert "PARTNERS GONE QUIET (1): no touchpoint in 60 days" in text
    assert (
        "Eastside Food Bank: last touchpoint December 9, 2025, looked after by Alice Reyes" in text
    )
    assert "Northside School" not in text.split("PARTNERS GONE QUIET")[1].split("GRANT")[0]
    assert "River Valley Foundation: Seed library, deadline Saturday, March 21" in text
    assert "led by Alice Reyes" in text
    assert "Arts Council" not in text
    assert "TOUCHPOINTS LAST WEEK (4), March 2 to March 8" in text
    assert "- Alice Reyes: 3\n- Bob Stone: 1\n" in text
    assert "Nothing logged by: Maria Chen" in text
    assert f"{SITE}/touchpoints/?date_from=2026-03-02&date_to=2026-03-08" in text
    assert "date_from=2026-03-02&amp;date_to=2026-03-08" in summary_of(maria).body_html


def test_a_quiet_week_sends_no_summary(maria):
    scan(local(MONDAY, 8))
    assert queued(Kind.MANAGER_SUMMARY) == []


def test_no_summary_when_the_manager_turned_it_off(alice, maria):
    prefer(maria, manager_summary=False)
    followup(alice, due_on=MONDAY - dt.timedelta(days=10))
    scan(local(MONDAY, 8))
    assert queued(Kind.MANAGER_SUMMARY) == []


# --- Follow-up assigned -------------------------------------------------------------------


def test_a_followup_made_for_someone_else_emails_them_once(alice, maria):
    organization = OrganizationFactory(name="Riverside County Health")
    item = services.followup_create(
        organization=organization,
        assignee=alice,
        created_by=maria,
        due_on=dt.date(2026, 3, 12),
        due_time=dt.time(15, 0),
        title="Call back about the health fair",
        details="They asked for two tables.",
    )
    [email] = queued(Kind.FOLLOWUP_ASSIGNED)
    assert email.user == alice
    assert email.idempotency_key.startswith(f"followup_assigned:{item.pk}:{alice.pk}:")
    assert email.subject == (
        "Maria Chen gave you a follow-up: Call back about the health fair, due Thu, Mar 12"
    )
    for body in (email.body_text, email.body_html):
        assert "Thursday, March 12, 2026 by 3:00 PM" in body
        assert "They asked for two tables." in body
        assert f"{SITE}/organizations/{organization.pk}/" in body
        assert PROFILE in body
    assert f"{SITE}/followups/?organization={organization.pk}" in email.body_text


def test_a_followup_one_gives_oneself_sends_nothing(alice):
    organization = OrganizationFactory()
    services.touchpoint_log(
        organization=organization,
        staff=alice,
        occurred_on=MONDAY,
        subject="Call about the book drive",
        follow_up_on=MONDAY + dt.timedelta(days=3),
    )
    services.followup_create(
        organization=organization, assignee=alice, created_by=alice, due_on=MONDAY, title="Mine"
    )
    assert FollowUp.objects.count() == 2
    assert queued(Kind.FOLLOWUP_ASSIGNED) == []


def test_no_followup_email_when_the_preference_is_off(alice, maria):
    prefer(alice, followup_assigned_emails=False)
    services.followup_create(
        organization=OrganizationFactory(),
        assignee=alice,
        created_by=maria,
        due_on=MONDAY,
        title="Call back",
    )
    assert queued(Kind.FOLLOWUP_ASSIGNED) == []


def test_reassigning_emails_the_new_assignee_each_time_but_not_for_no_change(
    manager_client, manager, librarian
):
    item = followup(manager, due_on=MONDAY, title="Visit the clinic")
    url = reverse("outreach:followup_reassign", args=[item.pk])
    manager_client.post(url, {"assignee": librarian.pk})
    manager_client.post(url, {"assignee": librarian.pk})  # a double click: still hers
    assert [e.user for e in queued(Kind.FOLLOWUP_ASSIGNED)] == [librarian]
    manager_client.post(url, {"assignee": manager.pk})  # the manager takes it back: no email
    manager_client.post(url, {"assignee": librarian.pk})  # and gives it again: a new email
    emails = queued(Kind.FOLLOWUP_ASSIGNED)
    assert [e.user for e in emails] == [librarian, librarian]
    assert emails[0].idempotency_key != emails[1].idempotency_key


def test_a_grant_deliverable_owned_by_someone_else_emails_the_owner(alice, maria):
    program = Program.objects.create(title="Seed library", kind=Program.Kind.GRANT, lead=alice)
    program.program_partners.create(organization=OrganizationFactory(name="Eastside Garden Club"))
    grant_services.grant_save(
        program=program,
        by=maria,
        funder="River Valley Foundation",
        deliverables=[
            grant_services.DeliverableChange(
                title="Interim report", due_on=dt.date(2026, 6, 1), owner=alice
            )
        ],
    )
    [email] = queued(Kind.FOLLOWUP_ASSIGNED)
    assert email.user == alice
    assert "Grant deliverable: Interim report (River Valley Foundation)" in email.subject
    deliverable = program.grant.deliverables.get()
    sam = staff_member("sam_ortiz")
    grant_services.grant_save(
        program=program,
        by=maria,
        funder="River Valley Foundation",
        deliverables=[
            grant_services.DeliverableChange(
                pk=deliverable.pk, title="Interim report", due_on=dt.date(2026, 6, 1), owner=sam
            )
        ],
    )
    assert [e.user for e in queued(Kind.FOLLOWUP_ASSIGNED)] == [alice, sam]


def test_a_followup_given_to_someone_else_in_the_admin_emails_them(client, admin_user, alice):
    client.force_login(admin_user)
    organization = OrganizationFactory()
    data = {
        "title": "Sign the MOU",
        "due_on": "2026-03-12",
        "assignee": alice.pk,
        "organization": organization.pk,
        "status": "open",
    }
    response = client.post(reverse("admin:outreach_followup_add"), data)
    assert response.status_code == 302
    [email] = queued(Kind.FOLLOWUP_ASSIGNED)
    assert email.user == alice
    assert email.subject.startswith("Ada Okafor gave you a follow-up: Sign the MOU")


def test_an_admin_names_whom_a_person_reports_to_from_the_managers(
    client, admin_user, alice, maria
):
    client.force_login(admin_user)
    url = reverse("admin:core_staffprofile_change", args=[alice.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields["reports_to"].queryset) == {admin_user, maria}
    data = {"user": alice.pk, "time_zone": NEW_YORK, "digest": "daily", "reports_to": maria.pk}
    data |= {"meeting_reminders": "on", "followup_assigned_emails": "on"}
    assert client.post(url, data).status_code == 302
    assert StaffProfile.objects.get(user=alice).reports_to == maria


def test_a_broken_email_never_stops_the_followup_from_being_saved(alice, maria, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template trouble")

    monkeypatch.setattr("notifications.services.render_email", broken)
    item = services.followup_create(
        organization=OrganizationFactory(),
        assignee=alice,
        created_by=maria,
        due_on=MONDAY,
        title="Call back",
    )
    assert FollowUp.objects.filter(pk=item.pk).exists()
    assert queued(Kind.FOLLOWUP_ASSIGNED) == []


# --- How much the scan costs --------------------------------------------------------------


def _quiet_staff(count: int) -> None:
    for i in range(count):
        role = roles.MANAGER if i % 3 == 0 else roles.LIBRARIAN
        zone = DST_ZONES[i % len(DST_ZONES)]
        staff_member(f"person{i}", zone=zone, role=role)


# Measured: 13 for people with nothing due (staff and roles 2; digests due: keys, follow-ups,
# meetings, grants 4; reminders 1; summaries due: keys, overdue follow-ups, quiet partners and
# their count, grants, touchpoints 6), 12 when everyone gets a digest and a reminder (prefetched
# attendees, one INSERT; SQLite splits a big INSERT in two).
SCAN_QUERIES = 14


@pytest.mark.parametrize("people", [3, 30])
def test_the_scan_costs_the_same_however_many_people_have_nothing_due(
    people, django_assert_max_num_queries
):
    _quiet_staff(people)
    # Monday 16:00 UTC: past 08:00 in New York, Los Angeles and Berlin, so digests and
    # summaries are due and looked for; 03:00 on Tuesday in Sydney.
    with django_assert_max_num_queries(SCAN_QUERIES):
        staff_emails_queue_due(now=dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC))
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("people", [3, 30])
def test_the_scan_costs_the_same_however_many_digests_it_queues(
    people, django_assert_max_num_queries
):
    organization = OrganizationFactory()
    for i in range(people):
        person = staff_member(f"person{i}")
        followup(person, due_on=MONDAY, organization=organization)
        MeetingFactory(organization=organization, starts_at=local(MONDAY, 15), staff=[person])
    with django_assert_max_num_queries(SCAN_QUERIES):
        staff_emails_queue_due(now=local(MONDAY, 8))
    assert len(queued(Kind.DIGEST)) == people


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
