"""Outreach pages run a fixed number of queries, with 5 or 60 of everything (no N+1)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import Meeting
from partners.models import Organization
from partners.tests.test_query_counts import make_partners

pytestmark = pytest.mark.django_db

# Session, user, roles and the user's time zone (4 queries), then the page's own.
MAX_QUERIES = {
    "dashboard": 15,
    "manager_dashboard": 18,  # with scheduler health (heartbeats, queue figures)
    "organization_list": 9,
    "organization_detail": 20,  # with its progress-update subscriptions
    "timeline_page": 13,
    "followup_list": 7,
    "contact_detail": 11,  # with the consent log (opt-outs and subscribing again)
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


def test_dashboard_queries(librarian_client, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["dashboard"]):
        assert librarian_client.get(reverse("home")).status_code == 200


def test_manager_dashboard_queries(manager_client, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["manager_dashboard"]):
        assert manager_client.get(reverse("home")).status_code == 200


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


def test_timeline_page_queries(librarian_client, busy, django_assert_max_num_queries):
    url = reverse("outreach:timeline", args=[busy.pk])
    with django_assert_max_num_queries(MAX_QUERIES["timeline_page"]):
        assert librarian_client.get(url, {"page": 2}).status_code == 200


def test_followup_list_queries(
    librarian_client, manager_client, busy, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES["followup_list"]):
        assert librarian_client.get(reverse("outreach:followup_list")).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES["followup_list"] + 1):  # + staff choices
        response = manager_client.get(reverse("outreach:followup_list"), {"assignee": "all"})
    assert response.status_code == 200


def test_contact_detail_with_history_queries(librarian_client, busy, django_assert_max_num_queries):
    contact = busy.affiliations.all()[0].contact
    with django_assert_max_num_queries(MAX_QUERIES["contact_detail"]):
        assert librarian_client.get(contact.get_absolute_url()).status_code == 200
