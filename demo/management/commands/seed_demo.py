"""Demo users and a realistic set of fictional partners, for trying Liaison or load testing."""

import time
from argparse import ArgumentParser
from dataclasses import fields
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.history import history_context
from demo.agreements import demo_agreements_load
from demo.bulk import record_loaded
from demo.captured_email import demo_captured_email_load
from demo.documents import demo_documents_load
from demo.group_email import demo_group_email_load
from demo.health import demo_health_load
from demo.outreach import demo_outreach_load
from demo.partners import (
    DEMO_PASSWORD,
    DEMO_USERS,
    MAX_SCALE,
    ORGANIZATIONS_PER_UNIT,
    demo_partners_load,
    demo_users_ensure,
)
from demo.playbooks import demo_playbooks_load
from demo.program_history import demo_program_history_load
from demo.programs import ProgramCounts, demo_programs_load
from demo.progress import demo_progress_load
from demo.reviews import demo_reviews_load
from demo.saved_views import demo_saved_views_load
from demo.tags import demo_tags_load
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Affiliation, Contact, Organization, StageChange
from partners.relations import OrganizationRelation
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


class Command(BaseCommand):
    help = (
        "Create the demo librarian and manager and load fictional partner organizations, "
        "contacts, stage history, the outreach log (touchpoints, meetings, follow-ups) and "
        "joint programs with their sessions, outcomes, stories and grants, with a year of "
        "history behind them, and partner progress updates sent over that year. "
        "Only runs with DEBUG on or LIAISON_DEMO=1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Always make sure the demo users exist; load partners only into an empty "
            "database (what `make run` uses).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=f"Load N times the data set, {ORGANIZATIONS_PER_UNIT} organizations per unit "
            f"(250 gives 10,000 organizations; at most {MAX_SCALE}).",
        )

    def handle(self, *args: Any, if_empty: bool, scale: int, **options: Any) -> None:
        # Accounts with a published password must never appear on a real deployment by accident.
        if not (settings.DEBUG or settings.LIAISON_DEMO):
            raise CommandError(
                "Demo users have a published password, so seed_demo only runs with DEBUG on. "
                "To load the demo on this server anyway, set LIAISON_DEMO=1."
            )
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale must be between 1 and {MAX_SCALE}.")
        if not Group.objects.filter(name__in=[user.role for user in DEMO_USERS]).exists():
            raise CommandError("The role groups are missing: run `manage.py migrate` first.")

        started = time.monotonic()
        with transaction.atomic():
            existing = Organization.objects.count()
            if existing and not if_empty:
                raise CommandError(
                    f"The database already has {existing} organizations; loading the demo again "
                    "would duplicate them. Use --if-empty to only make sure the demo users exist."
                )
            staff = demo_users_ensure()
            counts = outreach = programs = progress = None
            captured = group_sent = documents = 0
            if not existing:
                counts = demo_partners_load(staff=staff, scale=scale)
                outreach = demo_outreach_load(staff=staff)
                programs = _added(
                    demo_programs_load(staff=staff), demo_program_history_load(staff=staff)
                )
                progress = demo_progress_load(staff=staff)
                captured, group_sent, documents = _email_and_documents(staff, scale)
                _ways_of_working(staff, scale)
                # Loaded in bulk, without their change history: each record's begins here.
                with history_context(reason="Demo data loaded"):
                    for model in (
                        Organization,
                        Contact,
                        Affiliation,
                        OrganizationRelation,
                        Program,
                    ):
                        record_loaded(model)

        if counts is not None and connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the tables are no longer empty: before
            # autovacuum gets to them it estimated 22 affiliations where there were 23,540. And
            # a vacuum: the load rewrites some rows once (stamps, last touchpoints), and until
            # the dead copies are gone and the visibility map is set, counts cannot be read
            # from an index alone (the dashboard's took 34 ms instead of 1.2).
            tables = [
                model._meta.db_table
                for model in (
                    Organization,
                    Organization.focus_areas.through,
                    StageChange,
                    Contact,
                    Affiliation,
                    OrganizationRelation,
                    Touchpoint,
                    Touchpoint.contacts.through,
                    Touchpoint.other_organizations.through,
                    Meeting,
                    Meeting.contacts.through,
                    Meeting.staff.through,
                    Meeting.other_organizations.through,
                    FollowUp,
                    Program,
                    Program.focus_areas.through,
                    ProgramPartner,
                    ProgramSession,
                    Outcome,
                    Story,
                    Grant,
                    SupportLetter,
                    GrantDeliverable,
                )
            ]
            with connection.cursor() as cursor:
                names = [*tables, User._meta.db_table, User.groups.through._meta.db_table]
                # VACUUM cannot run in a transaction (a test's, or a caller's): ANALYZE can.
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                cursor.execute(f"{command} {', '.join(map(connection.ops.quote_name, names))}")

        if counts is None or outreach is None or programs is None:
            self.stdout.write(
                f"Partner data already present ({existing} organizations); nothing loaded."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {counts.organizations} organizations, {counts.contacts} contacts, "
                    f"{counts.affiliations} affiliations, {counts.stage_changes} stage changes, "
                    f"{outreach.touchpoints} touchpoints, {outreach.meetings} meetings, "
                    f"{programs.programs} programs, {programs.sessions} program sessions, "
                    f"{programs.outcomes} outcomes, {programs.stories} stories, "
                    f"{programs.grants} grants and {outreach.followups + programs.followups} "
                    f"follow-ups in {time.monotonic() - started:.1f} s."
                )
            )
            if progress is not None:
                self.stdout.write(
                    f"Partner progress updates: {progress.subscriptions} subscriptions, "
                    f"{progress.sent} sent over the past year, {progress.drafts} "
                    f"draft{'' if progress.drafts == 1 else 's'} awaiting review."
                )
            self.stdout.write(
                f"Captured email: {captured} messages, as if read from Liaison's mailbox. "
                f"Email templates, and a past group email to {group_sent} partners. "
                f"{documents} documents (signed MOUs, flyers, sign-in sheets, a grant narrative), "
                "agreements with partners and annual partnership reviews."
            )
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<10} – {user.role}")


def _email_and_documents(staff: list[User], scale: int) -> tuple[int, int, int]:
    """Captured email, the group email (how many it went to) and documents: how many of each."""
    captured = demo_captured_email_load(staff=staff)
    group_email = demo_group_email_load(staff=staff)
    group_sent = group_email.recipients.filter(left_out="").count() if group_email else 0
    documents = demo_documents_load(staff=staff, scale=scale)
    demo_agreements_load(staff=staff, scale=scale)  # after the documents: it files the MOUs
    demo_reviews_load(staff=staff)
    return captured, group_sent, documents


def _ways_of_working(staff: list[User], scale: int) -> None:
    """Tags, saved views, a playbook under way; last, partnership health (of all the rest)."""
    demo_tags_load()
    demo_saved_views_load(staff=staff)
    demo_playbooks_load(staff=staff)
    demo_health_load(scale=scale)


def _added(now: ProgramCounts, past: ProgramCounts) -> ProgramCounts:
    """What the places run now and their past year, counted together."""
    names = [field.name for field in fields(ProgramCounts)]
    return ProgramCounts(**{name: getattr(now, name) + getattr(past, name) for name in names})
