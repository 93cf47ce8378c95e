"""seed_demo's outreach log: touchpoints, follow-ups and meetings that fit the demo partners."""

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from demo.tests.helpers import forget_partners, seed
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.selectors.activity import quiet_partners_of
from partners.models import Affiliation, Stage


def test_seed_demo_logs_touchpoints_followups_and_meetings(debug):
    output = seed()

    today, now = timezone.localdate(), timezone.now()
    open_ = FollowUp.objects.filter(status=FollowUp.Status.OPEN)
    meetings = Meeting.objects.all()
    assert Touchpoint.objects.count() >= 60
    # Calls and emails, visits, council meetings, community events, letters, conferences…
    assert len(set(Touchpoint.objects.values_list("channel", flat=True))) >= 6
    assert open_.filter(due_on__lt=today, due_on__gte=today - timedelta(days=20)).exists()
    assert open_.filter(due_on__gte=today, due_on__lte=today + timedelta(days=7)).exists()
    assert open_.filter(due_on__gt=today + timedelta(days=7)).exists()
    assert FollowUp.objects.filter(status=FollowUp.Status.DONE).exists()
    assert FollowUp.objects.filter(status=FollowUp.Status.CANCELLED).exists()
    assert FollowUp.objects.filter(touchpoint__isnull=False).exists()
    assert meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now).exists()
    assert meetings.filter(status=Meeting.Status.HELD).exclude(minutes="").exists()
    assert meetings.filter(status=Meeting.Status.CANCELLED).exists()
    assert meetings.filter(other_organizations__isnull=False).exists()
    assert Touchpoint.objects.filter(meeting__status=Meeting.Status.HELD).exists()
    assert "touchpoints" in output and "follow-ups in" in output


def test_the_log_follows_each_partners_history_and_people(debug):
    seed()

    today, now = timezone.localdate(), timezone.now()
    assert not Touchpoint.objects.filter(occurred_on__gt=today)
    assert not Touchpoint.objects.filter(created_at__gt=now)
    assert not Touchpoint.objects.filter(organization__stage=Stage.IDENTIFIED)
    assert not Touchpoint.objects.filter(meeting__status=Meeting.Status.SCHEDULED)
    affiliated = set(Affiliation.objects.values_list("organization", "contact"))
    alone = Touchpoint.contacts.through.objects.filter(touchpoint__other_organizations=None)
    named = alone.values_list("touchpoint__organization", "contact")
    assert named and set(named) <= affiliated
    # A coalition meeting's touchpoint names people of any of its partners.
    joint = Touchpoint.objects.exclude(other_organizations=None).distinct()
    assert joint.count() >= 1
    for touchpoint in joint.prefetch_related("contacts", "other_organizations"):
        organizations = {touchpoint.organization_id}
        organizations |= {o.pk for o in touchpoint.other_organizations.all()}
        for contact in touchpoint.contacts.all():
            assert any((org, contact.pk) in affiliated for org in organizations)
    for meeting in Meeting.objects.prefetch_related("contacts", "other_organizations"):
        organizations = {
            meeting.organization_id,
            *(o.pk for o in meeting.other_organizations.all()),
        }
        for contact in meeting.contacts.all():
            assert any((org, contact.pk) in affiliated for org in organizations)
    for touchpoint in Touchpoint.objects.select_related("organization"):
        first_change = touchpoint.organization.stage_changes.earliest("changed_at")
        assert touchpoint.occurred_on >= timezone.localdate(first_change.changed_at)


def test_followups_keep_their_completion_and_creation_straight(debug):
    seed()

    done = FollowUp.objects.filter(status=FollowUp.Status.DONE)
    assert done and not done.filter(completed_at__isnull=True)
    assert not done.filter(completed_by__isnull=True)
    assert not FollowUp.objects.exclude(status=FollowUp.Status.DONE).filter(
        completed_at__isnull=False
    )
    assert not FollowUp.objects.filter(created_at__gt=timezone.now())
    for followup in FollowUp.objects.filter(touchpoint__isnull=False).select_related("touchpoint"):
        assert followup.touchpoint is not None
        assert timezone.localdate(followup.created_at) == followup.touchpoint.occurred_on
    for followup in done:
        assert followup.completed_at is not None
        assert followup.completed_at >= followup.created_at


def test_upcoming_meetings_fall_in_office_hours_on_weekdays(debug):
    seed()

    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now())
    assert upcoming
    for meeting in upcoming:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        assert starts.weekday() < 5
        assert time(9) <= starts.time() <= time(16)
        assert timedelta(minutes=30) <= ends - starts <= timedelta(minutes=90)
        assert starts.date() <= timezone.localdate() + timedelta(days=23)
        assert meeting.created_at < meeting.starts_at


@pytest.mark.parametrize("username", ["librarian", "manager"])
def test_demo_dashboards_show_meetings_and_quiet_partners(debug, client, username):
    seed()
    client.force_login(User.objects.get(username=username))

    response = client.get("/")

    assert response.status_code == 200
    assert len(response.context["meetings"]) >= 2
    assert response.context["quiet_partners"]
    # Not only partners nobody has called yet: some active ones went quiet.
    quiet = quiet_partners_of(response.context["user"], timezone.localdate())
    assert quiet.filter(stage=Stage.ACTIVE, last_touchpoint_on__isnull=False).exists()


def test_scale_two_gives_about_twice_the_log(debug):
    seed()
    at_scale_one = Touchpoint.objects.count(), FollowUp.objects.count(), Meeting.objects.count()
    forget_partners()

    seed("--scale", "2")

    touchpoints, followups, meetings = at_scale_one
    assert 1.7 * touchpoints <= Touchpoint.objects.count() <= 2.3 * touchpoints
    # Fewer of these to a place, so they vary more from one place to the next.
    assert 1.4 * followups <= FollowUp.objects.count() <= 2.6 * followups
    assert 1.4 * meetings <= Meeting.objects.count() <= 2.6 * meetings


def test_if_empty_twice_does_not_duplicate_the_log(debug):
    seed("--if-empty")
    first = Touchpoint.objects.count(), FollowUp.objects.count(), Meeting.objects.count()

    seed("--if-empty")

    assert (Touchpoint.objects.count(), FollowUp.objects.count(), Meeting.objects.count()) == first


def test_the_same_seed_gives_the_same_log(debug):
    def snapshot() -> list[tuple]:
        return [
            *sorted(
                Touchpoint.objects.values_list(
                    "organization__name", "occurred_on", "channel", "subject", "staff__username"
                )
            ),
            *sorted(
                FollowUp.objects.values_list("organization__name", "title", "due_on", "status")
            ),
            *sorted(Meeting.objects.values_list("organization__name", "title", "starts_at")),
        ]

    seed()
    first = snapshot()
    forget_partners()

    seed()

    assert snapshot() == first
