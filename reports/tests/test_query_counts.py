"""Report pages and exports run a fixed number of queries, with 3 or 30 of everything."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from health.reasons import ASSESSED_STAGES
from health.services import health_week_record
from outreach.models import FollowUp, Meeting
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from partners.models import FocusArea, Health, Organization, Stage
from partners.tests.factories import AffiliationFactory
from programs.models import Outcome, Program
from programs.tests.factories import GrantFactory, ProgramFactory, ProgramSessionFactory
from reports.tests.helpers import organization_with_history

pytestmark = pytest.mark.django_db

# Session, user, roles and the user's time zone (4 queries), then the report's own.
MAX_QUERIES = {
    "index": 4,
    "pipeline": 6,  # the funnel, exits with their organizations
    "activity": 7,  # touchpoints per month/staff/channel, meetings held, follow-ups done
    "portfolio": 8,  # kind/level/no focus area, focus area, quiet, no primary contact
    "programs": 8,  # programs, sessions, outcomes, grants per status
    # The weekly records by month; those at risk now, counted and a page of them (their
    # reasons kept with them).
    "health": 7,
}


def make_everything(rows: int, librarian, manager) -> None:
    today = timezone.localdate()
    now = timezone.now()
    areas = [FocusArea.objects.get_or_create(name=f"Area {i}")[0] for i in range(3)]
    stages = [Stage.IDENTIFIED, Stage.CONTACTED, Stage.ACTIVE, Stage.DORMANT]
    for i in range(rows):
        start = now - dt.timedelta(days=40 + i)
        organization = organization_with_history(
            f"Partner {i}",
            *[
                (stage, start + dt.timedelta(days=10 * n), f"Note {n}")
                for n, stage in enumerate(stages[: 1 + i % len(stages)])
            ],
            kind=Organization.Kind.GOVERNMENT if i % 2 else Organization.Kind.SCHOOL,
            government_level="county" if i % 2 else "",
            owner=librarian,
        )
        organization.focus_areas.set(areas[: i % 4])
        if i % 3:
            AffiliationFactory(organization=organization, is_primary=True)
        staff = manager if i % 2 else librarian
        TouchpointFactory(organization=organization, staff=staff, occurred_on=today)
        meeting = MeetingFactory(
            organization=organization, starts_at=now - dt.timedelta(hours=i + 1),
            status=Meeting.Status.HELD,
        )  # fmt: skip
        FollowUp.objects.create(
            title="Call back", due_on=today, assignee=staff, organization=organization,
            status=FollowUp.Status.DONE, completed_at=now, meeting=meeting,
        )  # fmt: skip
        program = ProgramFactory(
            status=Program.Status.ACTIVE, start_date=today.replace(month=1, day=1), end_date=None
        )
        ProgramSessionFactory(program=program, starts_at=now - dt.timedelta(hours=i + 1))
        Outcome.objects.create(program=program, metric="Reached", value=i, measured_on=today)
        GrantFactory(
            program=ProgramFactory(kind=Program.Kind.GRANT), submission_deadline=today,
            amount_awarded=i,
        )  # fmt: skip
    # This week's health recorded, and every partnership at risk for the list of those now.
    health_week_record()
    Organization.objects.filter(stage__in=ASSESSED_STAGES).update(
        health=Health.AT_RISK, health_reasons=[{"text": "Quiet", "weight": 3, "next_step": "Call"}]
    )


@pytest.fixture(params=[3, 30], ids=["3 rows", "30 rows"])
def everything(request, librarian, manager):
    make_everything(request.param, librarian, manager)
    return request.param


def test_index_queries(manager_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["index"]):
        assert manager_client.get(reverse("reports:index")).status_code == 200


@pytest.mark.parametrize("slug", ["pipeline", "activity", "portfolio", "programs", "health"])
def test_report_page_and_csv_queries(
    manager_client, everything, slug, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES[slug]):
        response = manager_client.get(reverse(f"reports:{slug}"))
    assert response.status_code == 200
    # The data shows up: not an empty report that would be cheap for the wrong reason.
    assert any(table.rows for table in response.context["report"].tables)
    with django_assert_max_num_queries(MAX_QUERIES[slug]):
        assert manager_client.get(reverse(f"reports:{slug}_csv")).status_code == 200
