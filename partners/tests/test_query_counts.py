"""Each page runs a fixed number of queries, whatever the number of rows (no N+1)."""

import pytest
from django.urls import reverse

from partners import services
from partners.models import FocusArea, Stage
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# Session, user, the user's roles and time zone (4 queries), then the page's own (below).
# The dashboard (home) is counted in outreach/tests/test_query_counts.py. The organization's
# and the contact's page are counted with every panel filled in config/tests/
# test_detail_queries.py, which says what their queries are; their History panels, for many
# changes, in partners/tests/test_history.py.
MAX_QUERIES = {
    # Count (up to core.http.COUNT_LIMIT rows), the page of rows (last touchpoint, next follow-up
    # and focus areas' names as subqueries), the filter form's focus-area and owner choices;
    # contacts: count, page, their current roles.
    "organization_list": 4 + 4,
    "organization_detail": 4 + 10,
    "contact_list": 4 + 3,
    "contact_detail": 4 + 8,  # with the consent log (opt-outs and subscribing again)
}

STAGES = list(Stage.values)


def make_partners(n: int, owner) -> None:
    areas = list(FocusArea.objects.all()[:3])
    for i in range(n):
        organization = OrganizationFactory(
            name=f"Partner {i:03}", owner=owner, stage=STAGES[i % len(STAGES)]
        )
        organization.focus_areas.set(areas)
        AffiliationFactory(organization=organization, title="Coordinator")


@pytest.mark.parametrize("rows", [5, 60])
def test_organization_list_queries(
    librarian_client, librarian, rows, django_assert_max_num_queries
):
    make_partners(rows, librarian)
    url = reverse("partners:organization_list")
    with django_assert_max_num_queries(MAX_QUERIES["organization_list"]):
        response = librarian_client.get(url)
    assert len(response.context["page"].object_list) == min(rows, 25)
    with django_assert_max_num_queries(MAX_QUERIES["organization_list"]):
        librarian_client.get(url, {"q": "partner", "stage": "active", "sort": "-owner"})


@pytest.mark.parametrize("rows", [5, 60])
def test_organization_detail_queries(
    librarian_client, librarian, rows, django_assert_max_num_queries
):
    organization = OrganizationFactory(name="County Health Department")
    organization.focus_areas.set(FocusArea.objects.all())
    for i in range(rows):
        affiliation = AffiliationFactory(organization=organization)
        if i % 2:
            services.affiliation_end(affiliation=affiliation)
        services.stage_change(
            organization=organization,
            to_stage=STAGES[(i + 1) % len(STAGES)],
            by=librarian,
            note=f"step {i}",
        )
    with django_assert_max_num_queries(MAX_QUERIES["organization_detail"]):
        response = librarian_client.get(organization.get_absolute_url())
    assert response.status_code == 200
    assert (
        len(response.context["current_affiliations"]) + len(response.context["past_affiliations"])
        == rows
    )


@pytest.mark.parametrize("rows", [5, 60])
def test_contact_list_queries(librarian_client, librarian, rows, django_assert_max_num_queries):
    make_partners(rows, librarian)
    url = reverse("partners:contact_list")
    with django_assert_max_num_queries(MAX_QUERIES["contact_list"]):
        response = librarian_client.get(url, {"kind": "nonprofit"})
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [5, 60])
def test_contact_detail_queries(librarian_client, rows, django_assert_max_num_queries):
    contact = ContactFactory()
    affiliations = [AffiliationFactory(contact=contact) for _ in range(rows)]
    with django_assert_max_num_queries(MAX_QUERIES["contact_detail"]):
        response = librarian_client.get(contact.get_absolute_url())
    assert response.status_code == 200
    # Every organization of the contact is listed, not only counted for.
    html = response.content.decode()
    for affiliation in affiliations:
        assert f'href="{affiliation.organization.get_absolute_url()}"' in html
