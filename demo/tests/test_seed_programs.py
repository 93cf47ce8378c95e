"""seed_demo's joint programs: partners, sessions, outcomes, stories and grants that fit."""

from datetime import time, timedelta

from django.contrib.auth.models import User
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from demo.partners import ORGANIZATIONS_PER_UNIT
from demo.tests.helpers import forget_partners, seed
from outreach.models import FollowUp
from partners.models import Organization, Stage
from programs.models import (
    Grant,
    GrantDeliverable,
    Outcome,
    Program,
    ProgramPartner,
    ProgramSession,
    Story,
    SupportLetter,
)
from programs.services.grants import deliverable_followup_title

Status, Kind = Program.Status, Program.Kind


def test_seed_demo_loads_programs_of_several_kinds_and_every_status(debug):
    output = seed()

    programs = Program.objects.all()
    # Eight a place runs or plans now, and four of the past year.
    assert programs.count() == 12
    assert set(programs.values_list("kind", flat=True)) >= {
        Kind.WORKSHOP,
        Kind.EVENT_SERIES,
        Kind.FAIR,
        Kind.GRANT,
        Kind.SHARED_RESOURCE,
        Kind.CAMPAIGN,
    }
    assert set(programs.values_list("status", flat=True)) == set(Status.values)
    assert programs.filter(status=Status.PROPOSED).count() >= 1
    assert programs.filter(status=Status.CANCELLED).count() >= 1
    assert not programs.filter(lead__isnull=True)
    assert programs.exclude(budget=None).exists()
    assert not programs.filter(focus_areas__isnull=True)
    assert f"{programs.count()} programs" in output and "grants and" in output


def test_programs_run_with_the_working_partners_of_one_place(debug):
    seed("--scale", "2")

    # demo.partners loads a place at a time: consecutive organizations share a place.
    unit_of = {
        pk: index // ORGANIZATIONS_PER_UNIT
        for index, pk in enumerate(Organization.objects.order_by("pk").values_list("pk", flat=True))
    }
    links = list(ProgramPartner.objects.select_related("organization", "program"))
    assert links
    by_program: dict[int, list[ProgramPartner]] = {}
    for link in links:
        by_program.setdefault(link.program_id, []).append(link)
    assert set(by_program) == set(Program.objects.values_list("pk", flat=True))
    for program_links in by_program.values():
        organizations = [link.organization_id for link in program_links]
        assert 2 <= len(organizations) <= 3
        assert len(set(organizations)) == len(organizations)
        assert len({unit_of[pk] for pk in organizations}) == 1
        assert [link.role for link in program_links].count(ProgramPartner.Role.LEAD) == 1
        for link in program_links:
            # A partnership may have gone quiet since a program that is over.
            over = link.program.status == Status.COMPLETED
            working = (Stage.ACTIVE, Stage.IN_DISCUSSION, *([Stage.DORMANT] if over else []))
            assert link.organization.stage in working
            assert link.contribution


def test_sessions_fall_within_their_program_at_local_hours(debug):
    seed()

    now = timezone.now()
    sessions = ProgramSession.objects.select_related("program")
    assert sessions.count() >= 8
    assert sessions.filter(starts_at__lt=now).exists()
    assert sessions.filter(starts_at__gt=now).exists()
    for session in sessions:
        program, local = session.program, timezone.localtime(session.starts_at)
        assert program.kind in (Kind.WORKSHOP, Kind.EVENT_SERIES, Kind.FAIR)
        assert program.status in (Status.COMPLETED, Status.ACTIVE, Status.PLANNING)
        if program.start_date:
            assert program.start_date <= local.date()
        if program.end_date:
            assert local.date() <= program.end_date
        assert time(9) <= local.time() <= time(19)
        assert session.location
    counts = Program.objects.filter(sessions__isnull=False).annotate(n=Count("sessions"))
    monthly = {p.pk for p in counts if p.title.startswith(("Ask a Nurse", "Benefits Help Hour"))}
    assert len(monthly) == 1  # a place's year-round program: about a year of sessions
    assert {program.n for program in counts if program.pk not in monthly} <= set(range(2, 9))
    assert {program.n for program in counts if program.pk in monthly} <= set(range(13, 17))


def test_only_sessions_already_held_have_a_head_count(debug):
    seed()

    now = timezone.now()
    held = ProgramSession.objects.filter(starts_at__lt=now).select_related("program")
    assert held and not held.filter(attendance__isnull=True)
    assert not ProgramSession.objects.filter(starts_at__gte=now, attendance__isnull=False)
    assert not ProgramSession.objects.filter(program__status=Status.COMPLETED, starts_at__gte=now)
    for session in held:
        assert session.attendance is not None
        if session.program.kind == Kind.FAIR:
            assert 150 <= session.attendance <= 600
        elif session.program.kind == Kind.WORKSHOP:
            assert 8 <= session.attendance <= 40


def test_outcomes_and_stories_belong_to_programs_that_ran(debug):
    seed("--scale", "2")

    ran = Program.objects.filter(status__in=[Status.COMPLETED, Status.ACTIVE])
    today = timezone.localdate()
    assert Outcome.objects.exists()
    assert not Outcome.objects.exclude(program__in=ran)
    assert not Story.objects.exclude(program__in=ran)
    assert not Outcome.objects.filter(measured_on__gt=today)
    assert not Story.objects.filter(told_on__gt=today)
    for program in ran.annotate(outcomes_n=Count("outcomes", distinct=True)):
        assert 2 <= program.outcomes_n <= 3
    assert {p.n for p in ran.annotate(n=Count("stories"))} <= {1, 2, 3}
    assert set(Outcome.objects.values_list("method", flat=True)) >= {
        Outcome.Method.SURVEY,
        Outcome.Method.HEAD_COUNT,
        Outcome.Method.PRE_POST,
    }


def test_some_stories_are_not_for_sharing_but_most_are(debug, client):
    seed()

    shared = Story.objects.filter(consent_to_share=True).count()
    private = Story.objects.filter(consent_to_share=False)
    assert private.exists() and shared > private.count()
    client.force_login(User.objects.get(username="librarian"))
    story = private.first()
    assert story is not None
    response = client.get(story.program.get_absolute_url())
    assert "Not for sharing: no consent" in response.content.decode()


def test_every_grant_deliverable_has_an_open_followup_for_its_owner(debug):
    seed("--scale", "2")

    grants = Grant.objects.select_related("program")
    assert grants.count() == Program.objects.filter(kind=Kind.GRANT).count() >= 4
    assert not grants.exclude(program__kind=Kind.GRANT)
    assert not grants.filter(status=Grant.Status.AWARDED, amount_awarded__isnull=True)
    deliverables = GrantDeliverable.objects.select_related("grant__program", "followup")
    assert deliverables.count() >= 2 * grants.count()
    for deliverable in deliverables:
        followup, grant = deliverable.followup, deliverable.grant
        assert followup is not None
        lead = ProgramPartner.objects.get(program=grant.program, role=ProgramPartner.Role.LEAD)
        assert followup.status == FollowUp.Status.OPEN
        assert followup.assignee_id == deliverable.owner_id
        assert followup.due_on == deliverable.due_on
        assert followup.title == deliverable_followup_title(deliverable.title, grant.funder)
        assert followup.organization_id == lead.organization_id
    assert set(deliverables.values_list("owner__username", flat=True)) == {"librarian", "manager"}


def test_letters_of_support_come_from_program_partners_before_today(debug):
    seed("--scale", "2")

    letters = SupportLetter.objects.select_related("grant")
    assert letters
    for letter in letters:
        partners = ProgramPartner.objects.filter(program=letter.grant.program_id)
        assert partners.filter(organization=letter.organization_id).exists()
        assert letter.received_on <= timezone.localdate()


def test_the_grants_list_highlights_an_application_due_within_30_days(debug, client):
    seed()

    today = timezone.localdate()
    due_soon = Grant.objects.filter(
        status=Grant.Status.DRAFTING,
        submission_deadline__gte=today,
        submission_deadline__lte=today + timedelta(days=30),
    )
    assert due_soon.exists()
    assert Grant.objects.filter(status=Grant.Status.AWARDED).exists()
    client.force_login(User.objects.get(username="librarian"))
    response = client.get(reverse("programs:grant_list"))
    assert [note.level for _, note in response.context["rows"] if note] == ["soon"]


def test_scale_two_gives_about_twice_the_programs(debug):
    seed()
    at_scale_one = Program.objects.count(), ProgramSession.objects.count()
    forget_partners()

    seed("--scale", "2")

    programs, sessions = at_scale_one
    assert 1.8 * programs <= Program.objects.count() <= 2.2 * programs
    # Statuses differ from place to place, and only some programs have sessions.
    assert 1.2 * sessions <= ProgramSession.objects.count() <= 3 * sessions


def test_if_empty_twice_does_not_duplicate_the_programs(debug):
    seed("--if-empty")
    models = (Program, ProgramPartner, ProgramSession, Outcome, Story, Grant, FollowUp)
    first = [model.objects.count() for model in models]

    seed("--if-empty")

    assert [model.objects.count() for model in models] == first


def test_the_same_seed_gives_the_same_programs(debug):
    def snapshot() -> list[tuple]:
        return [
            *sorted(
                Program.objects.values_list("title", "kind", "status", "start_date", "end_date")
            ),
            *sorted(ProgramSession.objects.values_list("program__title", "starts_at", "location")),
            *sorted(Grant.objects.values_list("funder", "status", "submission_deadline")),
            *sorted(GrantDeliverable.objects.values_list("title", "due_on", "owner__username")),
        ]

    seed()
    first = snapshot()
    forget_partners()

    seed()

    assert snapshot() == first
