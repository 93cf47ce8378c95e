"""The dashboard's outreach panels: a few rows of each list, its total, and a link to the rest.

The whole page's query count, with every app's panels, is in config/tests/test_dashboard.py.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.tests.factories import UserFactory
from outreach import services
from outreach.models import Meeting
from outreach.selectors.dashboard import PER_SECTION
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from outreach.tests.test_query_counts import rows_in
from partners.models import Stage
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
TEAM_OVERDUE = reverse("panel", args=["dashboard", "team-overdue"])
TEAM_TOUCHPOINTS = reverse("panel", args=["dashboard", "team-touchpoints"])
FOLLOWUPS = reverse("outreach:followup_list")


def section(html: str, heading: str) -> str:
    """The part of the follow-ups panel under the heading that starts with `heading`."""
    start = html.index(f">{heading} (")
    end = min(i for i in (html.find("<h3", start), html.find("</section>", start)) if i != -1)
    return html[start:end]


@pytest.fixture
def due(librarian, clinic):
    """Open follow-ups of the librarian, `days` from today (negative: overdue)."""
    today = timezone.localdate()

    def make(days: int, title: str, assignee=None):
        return services.followup_create(
            organization=clinic,
            assignee=assignee or librarian,
            created_by=librarian,
            due_on=today + dt.timedelta(days=days),
            title=title,
        )

    return make


def test_each_section_shows_its_soonest_few_its_count_and_a_link_to_the_rest(librarian_client, due):
    for days in (-9, -8, -7, -6, -5):
        due(days, f"Overdue by {-days}")
    for n in range(4):
        due(0, f"Today {n}")
    due(3, "In three days")
    due(20, "Next month")  # open, but not due this week: counted in the total only

    response = librarian_client.get(HOME)
    html = response.content.decode()

    overdue = section(html, "Overdue")
    assert ">Overdue (5)</h3>" in html
    assert overdue.count('id="followup-') == PER_SECTION == 3
    # The longest overdue first; the rest one click away.
    assert "Overdue by 9" in overdue and "Overdue by 7" in overdue
    assert "Overdue by 6" not in overdue
    assert f'<a href="{FOLLOWUPS}">+2 more overdue' in overdue
    today = section(html, "Today")
    assert ">Today (4)</h3>" in html and today.count('id="followup-') == 3
    assert f'<a href="{FOLLOWUPS}">+1 more today' in today
    this_week = section(html, "This week")
    assert this_week.count('id="followup-') == 1 and "more this week" not in this_week
    assert f'<a href="{FOLLOWUPS}">All 11 open follow-ups</a>' in html
    assert "Next month" not in html
    assert response.context["followup_total"] == 11


def test_a_section_past_its_rows_still_shows_its_count_and_link(librarian_client, due):
    for n in range(3):
        due(-1, f"Late {n}")
    due(1, "Tomorrow")

    html = librarian_client.get(HOME).content.decode()

    assert ">Overdue (3)</h3>" in html and "more overdue" not in html
    assert ">This week (1)</h3>" in html and "Tomorrow" in html
    assert ">Today (" not in html  # a section with nothing due is left out


def test_nothing_due_this_week(librarian_client, due):
    due(30, "Much later")
    html = librarian_client.get(HOME).content.decode()
    assert "Nothing due this week." in html
    assert f'<a href="{FOLLOWUPS}">All 1 open follow-up</a>' in html


def test_quiet_partners_show_ten_with_the_count_and_a_link_to_all(librarian_client, librarian):
    for n in range(12):
        OrganizationFactory(name=f"Quiet {n:02}", owner=librarian, stage=Stage.ACTIVE)
    OrganizationFactory(name="Somebody else's", stage=Stage.ACTIVE)

    response = librarian_client.get(HOME)
    html = response.content.decode()

    assert response.context["quiet_count"] == 12
    assert len(response.context["quiet_partners"]) == 10
    assert "My partners gone quiet (12)" in html
    assert rows_in(html, "quiet-heading") == 10
    link = reverse("partners:organization_list") + f"?owner={librarian.pk}&amp;sort=last_touchpoint"
    assert f'<a href="{link}">See all 12, longest quiet first</a>' in html


def test_upcoming_meetings_are_those_attended_or_arranged_each_once(librarian_client, librarian):
    soon = timezone.now() + dt.timedelta(days=1)
    attended = MeetingFactory(title="Attended", starts_at=soon, staff=[librarian])
    arranged = MeetingFactory(
        title="Arranged", starts_at=soon + dt.timedelta(hours=2), created_by=librarian
    )
    both = MeetingFactory(
        title="Both", starts_at=soon + dt.timedelta(hours=4), created_by=librarian
    )
    both.staff.set([librarian, UserFactory()])
    MeetingFactory(title="Someone else's", starts_at=soon, staff=[UserFactory()])
    MeetingFactory(title="Past", starts_at=soon - dt.timedelta(days=3), staff=[librarian])
    MeetingFactory(
        title="Called off", starts_at=soon, staff=[librarian], status=Meeting.Status.CANCELLED
    )

    meetings = librarian_client.get(HOME).context["meetings"]

    assert meetings == [attended, arranged, both]


def test_the_team_tables_count_everyone_including_former_staff(
    manager_client, manager, librarian, clinic, due
):
    gone = UserFactory(username="gone", first_name="Gus", role=roles.LIBRARIAN)
    due(-2, "Late", assignee=librarian)
    due(-1, "Later", assignee=librarian)
    due(-1, "Left behind", assignee=gone)
    due(0, "Today is not overdue", assignee=librarian)
    gone.is_active = False
    gone.save()
    today = timezone.localdate()
    TouchpointFactory(organization=clinic, staff=librarian, occurred_on=today)
    TouchpointFactory(organization=clinic, staff=manager, occurred_on=today)
    TouchpointFactory(organization=clinic, staff=manager, occurred_on=today)
    TouchpointFactory(organization=clinic, staff=None, occurred_on=today)
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    TouchpointFactory(organization=clinic, staff=librarian, occurred_on=last_month)

    # The team's tables come after the page (deferred panels): each fetched on its own.
    page = manager_client.get(HOME).content.decode()
    assert 'id="panel-team-overdue"' in page and 'id="panel-team-touchpoints"' in page
    context = manager_client.get(TEAM_OVERDUE, HTTP_HX_REQUEST="true").context
    assert [(r["assignee"], r["overdue"]) for r in context["team_overdue"]] == [
        (librarian.pk, 2),
        (gone.pk, 1),
    ]
    context = manager_client.get(TEAM_TOUCHPOINTS, HTTP_HX_REQUEST="true").context
    assert [(r["staff"], r["touchpoints"]) for r in context["team_touchpoints"]] == [
        (manager.pk, 2),
        (librarian.pk, 1),
        (None, 1),
    ]
    html = manager_client.get(TEAM_TOUCHPOINTS, HTTP_HX_REQUEST="true").content.decode()
    assert "Former staff" in html


def test_a_librarian_sees_no_team_tables(librarian_client, due):
    due(-1, "Late")
    page = librarian_client.get(HOME).content.decode()
    assert "panel-team-overdue" not in page and "Team follow-ups overdue" not in page
    assert "panel-team-touchpoints" not in page and "Touchpoints this month by" not in page
    # Fetched anyway, they show nothing (config/tests/test_panels.py).
    for url in (TEAM_OVERDUE, TEAM_TOUCHPOINTS):
        assert librarian_client.get(url, HTTP_HX_REQUEST="true").content == b""
