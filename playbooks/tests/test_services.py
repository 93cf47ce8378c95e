"""Applying a playbook, its steps falling due, stopping it, applied by itself on a stage."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.profiles import profile_update
from core.tests.factories import UserFactory
from outreach.models import FollowUp
from outreach.services import followup_complete
from partners.models import Organization, Stage, StageChange
from partners.services import stage_change
from partners.tests.factories import OrganizationFactory
from playbooks.models import CountedFrom, DoneBy, Playbook, PlaybookRun
from playbooks.services import (
    StepSpec,
    playbook_apply,
    playbook_create,
    playbook_retire,
    playbook_stop,
    playbook_update,
)

pytestmark = pytest.mark.django_db

NEW_YORK_NOON = dt.datetime(2026, 1, 31, 17, 0, tzinfo=dt.UTC)


def _three_steps(**first: object) -> list[StepSpec]:
    return [
        StepSpec(title="Research services", offset_days=0, **first),  # type: ignore[arg-type]
        StepSpec(title="Phone call", offset_days=2, counted_from=CountedFrom.PREVIOUS),
        StepSpec(title="Send the brochure", offset_days=30, counted_from=CountedFrom.START),
    ]


@pytest.fixture(autouse=True)
def _shipped_playbooks_stay_put():
    """The shipped "New health partner" starts by itself on Contacted: not in these tests."""
    Playbook.objects.update(auto_apply_stage="")


@pytest.fixture
def clinic(librarian):
    return OrganizationFactory(
        name="Eastside Clinic", kind=Organization.Kind.HEALTH, owner=librarian
    )


@pytest.fixture
def playbook(manager):
    return playbook_create(name="Clinic intro", steps=_three_steps(), by=manager)


def _followup(run: PlaybookRun, position: int) -> FollowUp:
    followup = run.steps.get(position=position).followup
    assert followup is not None, f"step {position} not scheduled"
    return followup


def _open(organization: Organization) -> list[tuple[str, dt.date]]:
    found = FollowUp.objects.filter(organization=organization, status="open").order_by("pk")
    return [(f.title, f.due_on) for f in found]


@time_machine.travel(NEW_YORK_NOON, tick=False)
def test_apply_schedules_the_steps_counted_from_the_start_and_not_the_others(
    playbook, clinic, librarian
):
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    assert run.started_on == dt.date(2026, 1, 31)
    # Jan 31 + 30 days is Mar 2 (February has 28 days in 2026): days, not "a month".
    assert _open(clinic) == [
        ("Research services", dt.date(2026, 1, 31)),
        ("Send the brochure", dt.date(2026, 3, 2)),
    ]
    waiting = run.steps.get(position=2)
    assert waiting.followup is None
    assert FollowUp.objects.get(title="Research services").assignee == librarian


@time_machine.travel(NEW_YORK_NOON, tick=False)
def test_a_step_done_schedules_the_next_from_the_day_it_was_done(playbook, clinic, librarian):
    run = playbook_apply(
        playbook=playbook, organization=clinic, by=librarian, start_on=dt.date(2026, 1, 20)
    )
    first = _followup(run, 1)
    followup_complete(followup=first, by=librarian)  # done Jan 31, though due Jan 20
    call = _followup(run, 2)
    assert (call.title, call.due_on, call.assignee) == (
        "Phone call",
        dt.date(2026, 2, 2),
        librarian,
    )
    assert "Playbook: Clinic intro." in call.details


def test_done_late_at_night_counts_the_assignees_own_day_across_daylight_saving(
    manager, clinic, librarian
):
    """Days, not hours: a step due 7 days after one done late on the Saturday before clocks
    spring forward (Mar 8, 2026 in the US) is due the next Saturday, in the assignee's time zone
    (Honolulu: no DST, five hours behind New York then six) even though it is Sunday in New York
    and in UTC."""
    profile_update(user=librarian, time_zone="Pacific/Honolulu")
    steps = [
        StepSpec(title="Visit", offset_days=0),
        StepSpec(title="Thank-you note", offset_days=7, counted_from=CountedFrom.PREVIOUS),
    ]
    playbook = playbook_create(name="Visit", steps=steps, by=manager)
    run = playbook_apply(
        playbook=playbook, organization=clinic, by=librarian, start_on=dt.date(2026, 3, 7)
    )
    # Saturday Mar 7, 21:30 in Honolulu = Sunday Mar 8, 07:30 UTC (02:30 in New York, DST on).
    with time_machine.travel(dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC), tick=False):
        followup_complete(followup=_followup(run, 1), by=librarian)
    assert _followup(run, 2).due_on == dt.date(2026, 3, 14)


@pytest.mark.parametrize(
    ("done_at", "due_on"),
    [
        # Done Oct 31 in New York (Nov 1 in UTC), 30 days: Nov 30 — the fall-back on Nov 1 does
        # not shift it by a day.
        (dt.datetime(2026, 11, 1, 3, 30, tzinfo=dt.UTC), dt.date(2026, 11, 30)),
        # Done Feb 28, 2028 (a leap year): Feb 28 + 30 days is Mar 29.
        (dt.datetime(2028, 2, 28, 15, 0, tzinfo=dt.UTC), dt.date(2028, 3, 29)),
        # Done Dec 31: into the next year.
        (dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC), dt.date(2027, 1, 30)),
    ],
)
def test_offsets_across_month_ends_and_daylight_saving(manager, clinic, librarian, done_at, due_on):
    steps = [
        StepSpec(title="Meet", offset_days=0),
        StepSpec(title="Survey", offset_days=30, counted_from=CountedFrom.PREVIOUS),
    ]
    playbook = playbook_create(name="Meet and survey", steps=steps, by=manager)
    run = playbook_apply(
        playbook=playbook, organization=clinic, by=librarian, start_on=done_at.date()
    )
    with time_machine.travel(done_at, tick=False):
        followup_complete(followup=_followup(run, 1), by=librarian)
    assert _followup(run, 2).due_on == due_on


def test_a_step_done_moves_the_partner_to_its_stage_with_history(manager, clinic, librarian):
    steps = [StepSpec(title="Personalized letter", offset_days=0, moves_to_stage=Stage.CONTACTED)]
    playbook = playbook_create(name="Letter", steps=steps, by=manager)
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    followup_complete(followup=_followup(run, 1), by=librarian)
    clinic.refresh_from_db()
    assert clinic.stage == Stage.CONTACTED
    change = StageChange.objects.filter(organization=clinic).latest("pk")
    assert (change.to_stage, change.changed_by) == (Stage.CONTACTED, librarian)
    assert "Letter" in change.note
    run.refresh_from_db()
    assert run.status == PlaybookRun.Status.FINISHED


def test_done_twice_schedules_the_next_step_once(playbook, clinic, librarian):
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    first = _followup(run, 1)
    followup_complete(followup=first, by=librarian)
    followup_complete(followup=first, by=librarian)
    assert FollowUp.objects.filter(title="Phone call").count() == 1


def test_stopping_cancels_the_open_steps_keeps_them_and_says_who(
    playbook, clinic, librarian, manager
):
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    followup_complete(followup=_followup(run, 1), by=librarian)
    playbook_stop(run=run, by=manager, reason="They chose another library.")
    run.refresh_from_db()
    assert (run.status, run.stopped_by, run.stop_reason) == (
        PlaybookRun.Status.STOPPED,
        manager,
        "They chose another library.",
    )
    assert run.stopped_at is not None
    statuses = dict(FollowUp.objects.filter(organization=clinic).values_list("title", "status"))
    assert statuses == {
        "Research services": "done",
        "Phone call": "cancelled",
        "Send the brochure": "cancelled",
    }
    with pytest.raises(ValidationError):
        playbook_stop(run=run, by=manager, reason="Again")


def test_a_step_of_a_stopped_playbook_done_anyway_schedules_nothing(
    playbook, clinic, librarian, manager
):
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    first = _followup(run, 1)
    playbook_stop(run=run, by=manager, reason="Paused")
    with pytest.raises(ValidationError):  # cancelled by the stop
        followup_complete(followup=first, by=librarian)
    assert not FollowUp.objects.filter(title="Phone call").exists()


@time_machine.travel(NEW_YORK_NOON, tick=False)
def test_a_step_cancelled_by_hand_lets_the_playbook_go_on(playbook, clinic, librarian):
    from outreach.services import followup_cancel

    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)

    followup_cancel(followup=_followup(run, 1))

    # The phone call, two days from the day the research was given up.
    assert _open(clinic) == [
        ("Send the brochure", dt.date(2026, 3, 2)),
        ("Phone call", dt.date(2026, 2, 2)),
    ]
    run.refresh_from_db()
    assert run.status == PlaybookRun.Status.RUNNING


def test_stopping_a_playbook_schedules_nothing_more_while_it_cancels(
    playbook, clinic, librarian, manager
):
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)

    playbook_stop(run=run, by=manager, reason="Paused")

    assert _open(clinic) == []
    assert not FollowUp.objects.filter(title="Phone call").exists()


def test_applied_once_at_a_time(playbook, clinic, librarian, manager):
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    with pytest.raises(ValidationError):
        playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    playbook_stop(run=run, by=manager, reason="Start over")
    playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    assert PlaybookRun.objects.filter(organization=clinic).count() == 2


def test_applied_by_itself_when_an_organization_of_its_kind_enters_the_stage_and_not_twice(
    manager, clinic, librarian
):
    playbook_create(
        name="Health intro",
        steps=[StepSpec(title="Research services", offset_days=0)],
        by=manager,
        kind=Organization.Kind.HEALTH,
        auto_apply_stage=Stage.CONTACTED,
    )
    school = OrganizationFactory(kind=Organization.Kind.SCHOOL, owner=librarian)
    stage_change(organization=school, to_stage=Stage.CONTACTED, by=librarian)
    assert not PlaybookRun.objects.filter(organization=school).exists()

    stage_change(organization=clinic, to_stage=Stage.CONTACTED, by=librarian)
    stage_change(organization=clinic, to_stage=Stage.IN_DISCUSSION, by=librarian)
    stage_change(organization=clinic, to_stage=Stage.CONTACTED, by=librarian)
    run = PlaybookRun.objects.get(organization=clinic)
    assert run.started_by == librarian
    assert _open(clinic) == [("Research services", run.started_on)]


def test_an_organization_created_at_the_stage_has_its_playbook_applied(manager, librarian):
    from partners.services import organization_create

    playbook_create(
        name="Health intro",
        steps=[StepSpec(title="Research services", offset_days=0)],
        by=manager,
        kind=Organization.Kind.HEALTH,
        auto_apply_stage=Stage.CONTACTED,
    )

    clinic = organization_create(
        by=librarian, stage=Stage.CONTACTED, name="Northside Clinic", kind=Organization.Kind.HEALTH
    )
    school = organization_create(
        by=librarian, stage=Stage.IDENTIFIED, name="Northside School", kind="school"
    )

    # (With the shipped "New health partner" too, where the database still has it.)
    started = {run.playbook.name for run in PlaybookRun.objects.filter(organization=clinic)}
    assert started - {"New health partner"} == {"Health intro"}
    assert not PlaybookRun.objects.filter(organization=school).exists()


def test_a_retired_playbook_is_neither_applied_nor_applied_by_itself(manager, clinic, librarian):
    playbook = playbook_create(
        name="Old",
        steps=[StepSpec(title="Call", offset_days=0)],
        by=manager,
        auto_apply_stage=Stage.CONTACTED,
    )
    playbook_retire(playbook=playbook)
    stage_change(organization=clinic, to_stage=Stage.CONTACTED, by=librarian)
    assert not PlaybookRun.objects.exists()
    with pytest.raises(ValidationError):
        playbook_apply(playbook=playbook, organization=clinic, by=librarian)


def test_who_does_a_step(manager, clinic, librarian):
    colleague = UserFactory(username="dana")
    steps = [
        StepSpec(title="Owner's", offset_days=0, done_by=DoneBy.OWNER),
        StepSpec(title="Applier's", offset_days=0, done_by=DoneBy.APPLIER),
        StepSpec(title="Manager's", offset_days=0, done_by=DoneBy.MANAGER),
        StepSpec(title="Dana's", offset_days=0, done_by=DoneBy.PERSON, person=colleague),
    ]
    playbook = playbook_create(name="Everyone", steps=steps, by=manager)
    playbook_apply(playbook=playbook, organization=clinic, by=colleague)
    assignees = dict(FollowUp.objects.values_list("title", "assignee__username"))
    assert assignees == {
        "Owner's": librarian.username,
        "Applier's": "dana",
        "Manager's": manager.username,
        "Dana's": "dana",
    }


def test_edits_reach_only_runs_started_afterwards(playbook, clinic, librarian):
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    playbook_update(playbook=playbook, name="Clinic intro", steps=[StepSpec("Only", 1)])
    assert [s.title for s in run.steps.all()] == [
        "Research services",
        "Phone call",
        "Send the brochure",
    ]
    followup_complete(followup=_followup(run, 1), by=librarian)
    assert FollowUp.objects.filter(title="Phone call").exists()


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "at least one step"),
        ([StepSpec("Call", -1)], "days after"),
        ([StepSpec("Call", 0, counted_from=CountedFrom.PREVIOUS)], "Step 1 has no step before"),
        ([StepSpec("Call", 0, done_by=DoneBy.PERSON)], "name the person"),
        ([StepSpec("  ", 0)], "needs a title"),
        ([StepSpec("Call", 0, moves_to_stage="nowhere")], "unknown stage"),
    ],
)
def test_a_playbook_that_cannot_work_is_refused(manager, steps, message):
    with pytest.raises(ValidationError, match=message):
        playbook_create(name="Broken", steps=steps, by=manager)
    assert not Playbook.objects.filter(name="Broken").exists()
