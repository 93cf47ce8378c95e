"""Outreach pages run a fixed number of queries, with 5 or 60 of everything (no N+1)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.selectors.dashboard import PER_SECTION
from outreach.views.followups import PAGE_SIZE as FOLLOWUP_PAGE_SIZE
from partners.models import Organization, StageChange
from partners.tests.test_query_counts import make_partners

pytestmark = pytest.mark.django_db

# Session, user, roles and the user's time zone (4 queries), then the page's own.
MAX_QUERIES = {
    # The page's own: 7, and a manager's 8 (config/tests/test_dashboard.py says which; 2 more
    # on SQLite); the team tables come after the page, 2 of their own each.
    "dashboard": 4 + 7 + 2,
    "manager_dashboard": 4 + 8 + 2,
    "team_panel": 4 + 2,
    # Count (up to core.http.COUNT_LIMIT rows), the page's rows with their last touchpoint, next
    # follow-up and focus areas' names, and the filter form's focus-area and owner choices.
    "organization_list": 4 + 4,
    # The record pages' own queries: config/tests/test_detail_queries.py says which.
    "organization_detail": 4 + 10,
    "timeline_page": 4 + 3,
    "followup_list": 4 + 2,  # count (up to COUNT_LIMIT), the page's rows; managers + staff
    "contact_detail": 4 + 8,  # with the consent log and the History panel
}


def make_outreach(rows: int, librarian, manager) -> Organization:
    """`rows` partners, each touched and with a follow-up; one of them with `rows` of all."""
    make_partners(rows, librarian)
    today = timezone.localdate()
    organizations = list(Organization.objects.prefetch_related("affiliations__contact"))
    for i, organization in enumerate(organizations):
        contact = organization.affiliations.all()[0].contact
        services.touchpoint_log(
            organization=organization,
            staff=librarian,
            subject="Check-in",
            contacts=[contact],
            occurred_on=today - dt.timedelta(days=i),
            follow_up_on=today + dt.timedelta(days=i % 9),
        )
    busy = organizations[0]
    contact = busy.affiliations.all()[0].contact
    start = timezone.now() + dt.timedelta(days=1)
    for i in range(rows):
        touchpoint = services.touchpoint_log(
            organization=busy,
            staff=manager if i % 2 else librarian,
            subject=f"Call {i}",
            contacts=[contact],
            occurred_on=today - dt.timedelta(days=i % 30),
            follow_up_on=today + dt.timedelta(days=i % 5),
        )
        if i % 3 == 0:
            services.followup_complete(followup=touchpoint.followups.get(), by=librarian)
        services.meeting_save(
            meeting=Meeting(
                organization=busy,
                title=f"Meeting {i}",
                starts_at=start + dt.timedelta(hours=i),
                ends_at=start + dt.timedelta(hours=i, minutes=30),
            ),
            by=librarian,
            contacts=[contact],
            staff=[librarian, manager],
        )
    return busy


@pytest.fixture(params=[5, 60], ids=["5 rows", "60 rows"])
def busy(request, librarian, manager):
    return make_outreach(request.param, librarian, manager)


def rows_in(html: str, heading: str, row: str = '<li class="list-group-item') -> int:
    """How many rows the page's section labelled by the heading with id `heading` shows."""
    start = html.index(f'aria-labelledby="{heading}"')
    return html[start : html.index("</section>", start)].count(row)


def shown_on_dashboard(user) -> int:
    """The user's open follow-ups that their dashboard lists: the first few overdue, due today
    and due later this week (outreach.selectors.dashboard.PER_SECTION of each)."""
    today = timezone.localdate()
    mine = FollowUp.objects.filter(assignee=user, status=FollowUp.Status.OPEN)
    sections = [
        mine.filter(due_on__lt=today),
        mine.filter(due_on=today),
        mine.filter(due_on__gt=today, due_on__lte=today + dt.timedelta(days=7)),
    ]
    return sum(min(section.count(), PER_SECTION) for section in sections)


def upcoming_meetings(user) -> int:
    return (
        Meeting.objects.filter(
            staff=user, status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
        )
        .distinct()
        .count()
    )


def test_dashboard_queries(librarian_client, librarian, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["dashboard"]):
        response = librarian_client.get(reverse("home"))
    assert response.status_code == 200
    # The rows are on the page, not only counted for: a panel that lost its rows would be cheap.
    html = response.content.decode()
    assert rows_in(html, "followups-heading", 'id="followup-') == shown_on_dashboard(librarian)
    mine = Touchpoint.objects.filter(staff=librarian).count()
    assert rows_in(html, "recent-heading") == min(mine, 5) > 0
    assert rows_in(html, "meetings-heading") == min(upcoming_meetings(librarian), 5) > 0


def test_manager_dashboard_queries(manager_client, manager, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["manager_dashboard"]):
        response = manager_client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert rows_in(html, "followups-heading", 'id="followup-') == shown_on_dashboard(manager)
    assert rows_in(html, "meetings-heading") == min(upcoming_meetings(manager), 5) > 0
    team = reverse("panel", args=["dashboard", "team-touchpoints"])
    with django_assert_max_num_queries(MAX_QUERIES["team_panel"]):
        panel = manager_client.get(team, HTTP_HX_REQUEST="true").content.decode()
    assert rows_in(panel, "team-touchpoints-heading", "<tr><td>") >= 1


def test_organization_list_with_outreach_columns_queries(
    librarian_client, busy, django_assert_max_num_queries
):
    url = reverse("partners:organization_list")
    for sort in ("name", "last_touchpoint", "-next_followup"):
        with django_assert_max_num_queries(MAX_QUERIES["organization_list"]):
            assert librarian_client.get(url, {"sort": sort}).status_code == 200


def test_organization_detail_with_timeline_queries(
    librarian_client, busy, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES["organization_detail"]):
        response = librarian_client.get(busy.get_absolute_url())
    assert len(response.context["timeline"].object_list) > 0


def timeline_length(organization: Organization) -> int:
    """Every event of the organization's timeline, counted from the tables themselves."""
    followups = FollowUp.objects.filter(organization=organization)
    return (
        Touchpoint.objects.filter(organization=organization).count()
        + Meeting.objects.filter(organization=organization).count()
        + StageChange.objects.filter(organization=organization).count()
        + followups.count()
        + followups.filter(status=FollowUp.Status.DONE).count()
    )


def test_timeline_page_queries(librarian_client, busy, django_assert_max_num_queries):
    url = reverse("outreach:timeline", args=[busy.pk])
    with django_assert_max_num_queries(MAX_QUERIES["timeline_page"]):
        response = librarian_client.get(url, {"page": 2})
    assert response.status_code == 200
    # Page 2 holds what page 1 (20 events) leaves; with no page 2 the last page is shown.
    total = timeline_length(busy)
    shown = min(20, total - 20) if total > 20 else total
    assert response.content.decode().count('<li class="timeline-entry ') == shown > 0


def test_followup_list_queries(
    librarian_client, librarian, manager, busy, django_assert_max_num_queries
):
    open_ones = FollowUp.objects.filter(status=FollowUp.Status.OPEN)
    with django_assert_max_num_queries(MAX_QUERIES["followup_list"]):
        response = librarian_client.get(reverse("outreach:followup_list"))
    assert response.status_code == 200
    mine = open_ones.filter(assignee=librarian).count()
    html = response.content.decode()
    assert html.count('id="followup-') == min(mine, FOLLOWUP_PAGE_SIZE) > 0
    # The rest is a page away.
    assert ("page=2" in html) == (mine > FOLLOWUP_PAGE_SIZE)
    # Not the manager_client fixture: it is the same client, which would sign Alice out.
    manager_client = Client()
    manager_client.force_login(manager)
    with django_assert_max_num_queries(MAX_QUERIES["followup_list"] + 1):  # + staff choices
        response = manager_client.get(reverse("outreach:followup_list"), {"assignee": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('id="followup-') == min(open_ones.count(), FOLLOWUP_PAGE_SIZE)


def test_contact_detail_with_history_queries(librarian_client, busy, django_assert_max_num_queries):
    contact = busy.affiliations.all()[0].contact
    with django_assert_max_num_queries(MAX_QUERIES["contact_detail"]):
        response = librarian_client.get(contact.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    touchpoints = Touchpoint.objects.filter(contacts=contact).count()
    meetings = Meeting.objects.filter(contacts=contact).count()
    assert rows_in(html, "touchpoints-heading") == min(touchpoints, 10) > 0
    assert rows_in(html, "meetings-heading") == min(meetings, 10) > 0
