"""The dashboard with every app's panels, as a librarian and as a manager: a fixed number of
queries with little or much of everything, and each list capped with a link to the rest."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import FollowUp, Touchpoint
from outreach.selectors.dashboard import PER_SECTION
from outreach.tests.factories import TouchpointFactory
from outreach.tests.test_query_counts import make_outreach, rows_in
from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from updates.models import ProgressSubscription, ProgressUpdate

pytestmark = pytest.mark.django_db

# The whole page: the request's own (the user with roles and time zone, the session from the
# cache: 1 today, 2 allowed), then the panels'. A librarian's 7: follow-up counts, follow-up
# rows, meetings, progress updates to review, quiet partners (with their count), recent
# touchpoints, the pipeline (with "mine"). A manager's add the scheduler's heartbeats and
# queue; the team tables follow the page (deferred panels), each the request's own, the people
# and their figures.
# The follow-up rows are one query on PostgreSQL, one per section on SQLite (a laptop's
# database), which cannot LIMIT the branches of a UNION.
REQUEST = 2
ROWS = 1 if connection.features.supports_slicing_ordering_in_compound else 3
MAX_QUERIES = {"librarian": REQUEST + 6 + ROWS, "manager": REQUEST + 7 + ROWS}
TEAM_PANEL_QUERIES = REQUEST + 2


def fill(rows: int, librarian, manager) -> None:
    """`rows` of everything each dashboard list shows, for both people."""
    make_outreach(rows, librarian, manager)
    today = timezone.localdate()
    for person in (librarian, manager):
        for i in range(rows):
            quiet = OrganizationFactory(
                name=f"Quiet {person} {i}", owner=person, stage=Stage.ACTIVE
            )
            services.followup_create(
                organization=quiet,
                assignee=person,
                created_by=person,
                due_on=today - dt.timedelta(days=1 + i % 20),
                title=f"Overdue {i}",
            )
            subscription = ProgressSubscription.objects.create(
                organization=quiet, owner=person, created_by=person
            )
            ProgressUpdate.objects.create(
                subscription=subscription,
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 1, 31),
                subject="Our work together",
            )
    TouchpointFactory(staff=None, occurred_on=today)  # a former colleague's


@pytest.fixture(params=[5, 60], ids=["5 rows", "60 rows"])
def rows(request, librarian, manager):
    fill(request.param, librarian, manager)
    return request.param


def shown_per_section(user) -> int:
    """How many follow-up rows the dashboard lists: the first few of each section."""
    today = timezone.localdate()
    mine = FollowUp.objects.filter(assignee=user, status=FollowUp.Status.OPEN)
    sections = [
        mine.filter(due_on__lt=today),
        mine.filter(due_on=today),
        mine.filter(due_on__gt=today, due_on__lte=today + dt.timedelta(days=7)),
    ]
    return sum(min(section.count(), PER_SECTION) for section in sections)


@pytest.mark.parametrize("role", ["librarian", "manager"])
def test_dashboard_queries_and_bounded_lists(
    role, rows, librarian, manager, django_assert_max_num_queries
):
    user = librarian if role == "librarian" else manager
    client = Client()
    client.force_login(user)
    client.get(reverse("home"))  # the first visit makes the staff profile

    with django_assert_max_num_queries(MAX_QUERIES[role]):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    # The rows are on the page, not only counted for: a panel that lost its rows would be cheap.
    assert rows_in(html, "followups-heading", 'id="followup-') == shown_per_section(user) > 0
    assert rows_in(html, "quiet-heading") == min(rows, 10)
    assert rows_in(html, "drafts-heading") == min(rows, 10)
    assert f"Progress updates to review ({rows})" in html
    progress = reverse("updates:progress_update_list") + "?show=mine"
    assert (f'<a href="{progress}">All {rows} progress updates to review</a>' in html) == (
        rows > 10
    )
    assert rows_in(html, "recent-heading") == min(Touchpoint.objects.filter(staff=user).count(), 5)
    assert rows_in(html, "meetings-heading") == min(rows, 5)
    if role == "manager":
        for name, rows_shown in (("overdue", 2), ("touchpoints", 3)):  # with former staff
            url = reverse("panel", args=["dashboard", f"team-{name}"])
            with django_assert_max_num_queries(TEAM_PANEL_QUERIES):
                panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
            assert rows_in(panel, f"team-{name}-heading", "<tr><td>") == rows_shown
    # Bounded: whatever the data, the page stays small.
    assert len(response.content) < 60_000
