"""The weekly manager summary, on Monday at 8:00: overdue follow-ups, quiet partners, grant
deadlines and last week's touchpoints by person."""

import datetime as dt

import pytest

from mail.models import OutgoingEmail
from notifications.tests.helpers import (
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
from outreach.tests.factories import TouchpointFactory
from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from programs.models import Program
from programs.tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


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
