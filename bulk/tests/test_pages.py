"""The lists' checkboxes and the managers' review of bulk actions."""

from datetime import date

import pytest
from django.urls import reverse

from bulk.models import BulkAction
from bulk.tests.helpers import confirm
from partners.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_each_list_row_has_a_labelled_checkbox_for_the_selection(
    librarian_client, librarian, rosas_partners
):
    html = librarian_client.get(reverse("partners:organization_list")).content.decode()
    assert '<form id="bulk-selection" method="get" action="/bulk/"' in html
    assert html.count('form="bulk-selection"') == 25  # one per row on the page
    assert 'aria-label="Select Partner 00"' in html
    assert "Select all 80 matching this filter" in html
    htmx = librarian_client.get(
        reverse("partners:organization_list"),
        {"owner": rosas_partners[0].owner_id},
        headers={"HX-Request": "true", "HX-Target": "results"},
    ).content.decode()
    assert 'name="filter" value="owner=' in htmx and htmx.count('form="bulk-selection"') == 25


def test_contact_and_follow_up_lists_take_a_selection_too(librarian_client):
    ContactFactory(name="Dana Park")
    html = librarian_client.get(reverse("partners:contact_list")).content.decode()
    assert 'aria-label="Select Dana Park"' in html
    assert 'name="records" value="contacts"' in html


def test_the_follow_up_list_takes_a_selection_of_ones_own(librarian_client, librarian, county):
    from outreach.models import FollowUp

    FollowUp.objects.create(
        title="Call Dana", due_on=date.today(), assignee=librarian, organization=county
    )
    html = librarian_client.get(reverse("outreach:followup_list")).content.decode()
    assert 'aria-label="Select Call Dana"' in html
    assert 'name="records" value="followups"' in html
    dashboard = librarian_client.get(reverse("home")).content.decode()
    assert "data-row-select" not in dashboard  # the same rows elsewhere: no checkbox


def test_managers_review_every_bulk_action(
    client, manager, librarian, rosa, marcus, rosas_partners
):
    client.force_login(manager)
    confirm(
        client,
        "organizations",
        [o.pk for o in rosas_partners[:30]],
        action="owner",
        owner=marcus.pk,
    )
    bulk_action = BulkAction.objects.get()
    listing = client.get(reverse("bulk:bulk_action_list")).content.decode()
    assert "30 organizations: owner Rosa Díaz → Marcus Lee" in listing and "Maria Chen" in listing
    detail = client.get(bulk_action.get_absolute_url()).content.decode()
    assert detail.count('<li><a href="/organizations/') == 25  # a page of the records changed
    second = client.get(bulk_action.get_absolute_url(), {"page": 2}).content.decode()
    assert second.count('<li><a href="/organizations/') == 5
    client.force_login(librarian)
    assert client.get(reverse("bulk:bulk_action_list")).status_code == 403


def test_the_managers_list_reads_a_fixed_number_of_queries(
    manager_client, manager, django_assert_max_num_queries
):
    for n in range(30):
        BulkAction.objects.create(
            records="organizations",
            action="stage",
            count=n,
            summary=f"{n} organizations",
            by=manager,
        )
    with django_assert_max_num_queries(6):
        response = manager_client.get(reverse("bulk:bulk_action_list"))
    assert response.status_code == 200
