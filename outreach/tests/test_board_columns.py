"""The outreach log's columns on the pipeline board (days since the last touchpoint, the next
follow-up), and the board's query count with them filled in: partners shows them, outreach
computes them (outreach/organization_columns.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.models import FollowUp
from outreach.tests.factories import TouchpointFactory
from partners.models import FocusArea, Organization, Stage
from partners.selectors import BOARD_PAGE_SIZE
from partners.tests.factories import OrganizationFactory
from partners.tests.test_board import BOARD, BOARD_QUERIES, MOVE_QUERIES, json_move


@pytest.mark.django_db
def test_cards_show_kind_owner_quiet_days_and_next_followup(librarian_client, librarian, settings):
    settings.LIAISON_QUIET_DAYS = 60
    today = timezone.localdate()
    amber = OrganizationFactory(name="Amber Org", owner=librarian, stage=Stage.CONTACTED)
    TouchpointFactory(organization=amber, occurred_on=today - dt.timedelta(days=45))
    red = OrganizationFactory(name="Red Org", stage=Stage.ACTIVE)
    TouchpointFactory(organization=red, occurred_on=today - dt.timedelta(days=61))
    fresh = OrganizationFactory(name="Fresh Org", stage=Stage.IN_DISCUSSION)
    TouchpointFactory(organization=fresh, occurred_on=today - dt.timedelta(days=12))
    FollowUp.objects.create(
        organization=fresh, assignee=librarian, title="Send flyer", due_on=dt.date(2031, 3, 4)
    )

    html = librarian_client.get(BOARD).content.decode()

    assert 'class="quiet-amber"' in html and "45 days ago" in html
    assert 'class="quiet-red"' in html and "61 days ago" in html
    assert "12 days ago" in html and "Mar 4, 2031" in html
    assert "Alice Reyes" in html and "Nonprofit" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "warned"),
    [
        (Stage.IDENTIFIED, False),
        (Stage.RESEARCHING, False),
        (Stage.CONTACTED, True),
        (Stage.IN_DISCUSSION, True),
        (Stage.ACTIVE, True),
        (Stage.DORMANT, False),
        (Stage.DECLINED, False),
    ],
)
def test_quiet_days_are_amber_or_red_only_where_the_library_is_talking_to_the_partner(
    librarian_client, librarian, settings, stage, warned
):
    """A prospect not yet contacted, or a partnership dormant or declined, is quiet by nature:
    its days show without a warning. An overdue follow-up is red at every stage."""
    settings.LIAISON_QUIET_DAYS = 60
    today = timezone.localdate()
    long_quiet = OrganizationFactory(name="Long Quiet", stage=stage)
    TouchpointFactory(organization=long_quiet, occurred_on=today - dt.timedelta(days=71))
    a_while = OrganizationFactory(name="A While", stage=stage)
    TouchpointFactory(organization=a_while, occurred_on=today - dt.timedelta(days=45))
    never = OrganizationFactory(name="Never Touched", stage=stage)
    FollowUp.objects.create(
        organization=never, assignee=librarian, title="Call", due_on=today - dt.timedelta(days=3)
    )

    html = librarian_client.get(BOARD).content.decode()

    assert "71 days ago" in html and "45 days ago" in html
    assert ('class="quiet-red"' in html) is warned
    assert ('class="quiet-amber"' in html) is warned
    assert ('<span class="quiet-red">Never</span>' in html) is warned
    assert 'class="overdue"' in html


@pytest.mark.django_db
def test_board_queries_stay_the_same_from_5_to_200_organizations(
    librarian_client, librarian, django_assert_max_num_queries
):
    literacy = FocusArea.objects.get_or_create(name="Literacy")[0]

    def add(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            organization = OrganizationFactory(
                name=f"Partner {i:03}", owner=librarian, stage=Stage.values[i % 7]
            )
            organization.focus_areas.set([literacy])
            TouchpointFactory(organization=organization, staff=librarian)
            FollowUp.objects.create(
                organization=organization,
                assignee=librarian,
                title="Call",
                due_on=dt.date(2031, 1, 1),
            )

    filters = {"owner": librarian.pk, "kind": "nonprofit", "focus_area": literacy.pk}
    counted = []
    for n, offset in [(5, 0), (195, 5)]:
        add(n, offset)
        with CaptureQueriesContext(connection) as plain:
            librarian_client.get(BOARD)
        with CaptureQueriesContext(connection) as filtered:
            librarian_client.get(BOARD, filters)
        counted.append((len(plain), len(filtered)))
    assert counted[0] == counted[1]

    with django_assert_max_num_queries(BOARD_QUERIES):
        response = librarian_client.get(BOARD)
    # Each column shows its first BOARD_PAGE_SIZE cards (about 29 at each stage here).
    shown = [len(column["cards"]) for column in response.context["columns"]]
    assert shown == [BOARD_PAGE_SIZE] * 7
    with django_assert_max_num_queries(BOARD_QUERIES + 2):  # + owner and focus area lookups
        librarian_client.get(BOARD, {**filters, "stage": "active", "page": "2"})
    with django_assert_max_num_queries(6):  # htmx "show more": one column, no choices
        librarian_client.get(BOARD, {"stage": "active", "page": "2"}, headers={"HX-Request": "1"})
    organization = Organization.objects.filter(stage=Stage.ACTIVE).first()
    assert organization is not None
    with django_assert_max_num_queries(MOVE_QUERIES):
        json_move(librarian_client, {"organization": organization.pk, "to_stage": "dormant"})
