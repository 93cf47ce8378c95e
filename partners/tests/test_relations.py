"""Organizations related to organizations: typed and dated, shown on both sides, kept when they
end or are removed, in both organizations' history, and carried through a merge."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partners.merge import organization_merge
from partners.relations import (
    OrganizationRelation,
    organization_relation_add,
    organization_relation_remove,
    organization_relation_update,
    ties_of,
)
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    return {
        "health": OrganizationFactory(name="Tamarack County Health Department"),
        "coalition": OrganizationFactory(name="Tamarack Healthy Communities Coalition"),
        "united_way": OrganizationFactory(name="United Way of Tamarack County"),
        "ymca": OrganizationFactory(name="Harlow Springs YMCA"),
    }


def shown(organization) -> list[str]:
    return [f"{tie.words} {tie.other.name}" for tie in ties_of(organization.pk)]


def test_a_tie_reads_from_both_sides(place, librarian):
    relation = organization_relation_add(
        organization=place["health"],
        choice="member_of",
        other=place["coalition"],
        by=librarian,
        started_on=dt.date(2023, 3, 1),
        note="  Co-chairs   the access work group ",
    )
    assert str(relation) == (
        "Tamarack County Health Department → member of Tamarack Healthy Communities Coalition"
    )
    assert relation.note == "Co-chairs the access work group"
    assert shown(place["health"]) == ["Member of Tamarack Healthy Communities Coalition"]
    assert shown(place["coalition"]) == ["Has member Tamarack County Health Department"]


def test_added_from_the_other_side_it_is_stored_the_same_way(place, librarian):
    relation = organization_relation_add(
        organization=place["united_way"], choice="~funded_by", other=place["ymca"], by=librarian
    )
    assert (relation.organization, relation.kind, relation.related) == (
        place["ymca"],
        "funded_by",
        place["united_way"],
    )
    assert shown(place["united_way"]) == ["Funds Harlow Springs YMCA"]
    assert shown(place["ymca"]) == ["Funded by United Way of Tamarack County"]


@pytest.mark.parametrize(
    ("choice", "other", "message"),
    [
        ("member_of", "health", "cannot be related to itself"),
        ("owner_of", "coalition", "Choose how they are related"),
    ],
)
def test_what_cannot_be_a_tie(place, librarian, choice, other, message):
    with pytest.raises(ValidationError, match=message):
        organization_relation_add(
            organization=place["health"], choice=choice, other=place[other], by=librarian
        )
    assert not OrganizationRelation.objects.exists()


def test_the_same_current_tie_once_but_partners_either_way(place, librarian):
    add = organization_relation_add
    add(organization=place["health"], choice="member_of", other=place["coalition"], by=librarian)
    with pytest.raises(ValidationError, match="already member of"):
        add(organization=place["health"], choice="member_of", other=place["coalition"], by=None)
    add(organization=place["ymca"], choice="partner_of", other=place["health"], by=librarian)
    with pytest.raises(ValidationError, match="already partner of"):
        add(organization=place["health"], choice="partner_of", other=place["ymca"], by=None)
    # Another kind between the same two is another tie.
    add(organization=place["health"], choice="~funded_by", other=place["coalition"], by=None)
    assert OrganizationRelation.objects.count() == 3


def test_ended_ties_are_past_and_removed_ones_are_kept_but_hidden(place, librarian):
    relation = organization_relation_add(
        organization=place["health"], choice="member_of", other=place["coalition"], by=librarian
    )
    today = timezone.localdate()
    organization_relation_update(
        relation=relation, started_on=dt.date(2020, 1, 6), ended_on=today, note=""
    )
    (tie,) = ties_of(place["coalition"].pk)
    assert tie.is_past
    with pytest.raises(ValidationError, match="It cannot end before it started"):
        organization_relation_update(
            relation=relation, started_on=today, ended_on=dt.date(2020, 1, 6), note=""
        )
    with pytest.raises(ValidationError, match="today or an earlier day"):
        organization_relation_update(
            relation=relation, started_on=None, ended_on=today + dt.timedelta(days=1), note=""
        )
    # Ended, it can begin again as a new tie.
    organization_relation_add(
        organization=place["health"], choice="member_of", other=place["coalition"], by=librarian
    )
    organization_relation_remove(relation=relation)
    organization_relation_remove(relation=relation)  # twice: once
    assert OrganizationRelation.objects.count() == 2
    assert [tie.is_past for tie in ties_of(place["health"].pk)] == [False]


def test_both_organizations_history_shows_the_tie(place, librarian_client):
    organization_relation_add(
        organization=place["health"], choice="member_of", other=place["coalition"], by=None
    )
    for organization, other in (("health", "coalition"), ("coalition", "health")):
        url = reverse("partners:organization_history", args=[place[organization].pk])
        html = librarian_client.get(url).content.decode()
        assert f"Tie with {place[other].name}" in html


def test_merging_moves_ties_and_drops_those_it_would_double(place, librarian):
    old_health = OrganizationFactory(name="Tamarack Cty Health Dept")
    add = organization_relation_add
    add(organization=place["health"], choice="member_of", other=place["coalition"], by=None)
    add(organization=old_health, choice="member_of", other=place["coalition"], by=None)
    add(organization=old_health, choice="~funded_by", other=place["ymca"], by=None)
    add(organization=old_health, choice="partner_of", other=place["health"], by=None)
    organization_merge(survivor=place["health"], other=old_health, fields={}, by=librarian)
    assert sorted(shown(place["health"])) == [
        "Funds Harlow Springs YMCA",
        "Member of Tamarack Healthy Communities Coalition",
    ]
    assert shown(place["coalition"]) == ["Has member Tamarack County Health Department"]


def test_merging_drops_a_partner_tie_the_survivor_has_the_other_way_round(place, librarian):
    old_health = OrganizationFactory(name="Tamarack Cty Health Dept")
    add = organization_relation_add
    add(organization=place["health"], choice="partner_of", other=place["ymca"], by=None)
    add(organization=place["ymca"], choice="partner_of", other=old_health, by=None)
    add(organization=old_health, choice="partner_of", other=place["united_way"], by=None)
    add(organization=place["united_way"], choice="partner_of", other=place["health"], by=None)
    organization_merge(survivor=place["health"], other=old_health, fields={}, by=librarian)
    assert sorted(shown(place["health"])) == [
        "Partner of Harlow Springs YMCA",
        "Partner of United Way of Tamarack County",
    ]


def panel_of(client, organization) -> str:
    """The Related organizations panel, which the page fetches once it has loaded."""
    url = reverse("panel", args=["organization", "related-organizations"])
    return client.get(url, {"of": organization.pk}).content.decode()


def test_the_pages(place, librarian_client):
    health, coalition = place["health"], place["coalition"]
    add_url = reverse("partners:relation_add", args=[coalition.pk])
    page = librarian_client.get(coalition.get_absolute_url()).content.decode()
    assert "Related organizations" in page and add_url not in page  # deferred
    assert add_url in panel_of(librarian_client, coalition)
    response = librarian_client.post(
        add_url,
        {"choice": "~member_of", "organization_name": health.name, "started_on": "2023-03-01"},
        follow=True,
    )
    assert "Saved: Tamarack County Health Department → member of Tamarack" in (
        response.content.decode()
    )
    html = panel_of(librarian_client, coalition)
    assert "Has member <a href" in html and "since Mar 2023" in html
    relation = OrganizationRelation.objects.get()
    edit_url = reverse("partners:relation_edit", args=[relation.pk]) + f"?of={coalition.pk}"
    assert edit_url.replace("&", "&amp;") in html
    response = librarian_client.post(
        edit_url, {"started_on": "2023-03-01", "ended_on": "2022-01-01", "note": ""}
    )
    assert "It cannot end before it started" in str(response.context["form"].errors)
    response = librarian_client.post(
        edit_url, {"started_on": "2023-03-01", "ended_on": "2024-06-30", "note": "Left"}
    )
    assert response.url == coalition.get_absolute_url()
    html = panel_of(librarian_client, health)
    assert "Past ties (1)" in html and "Mar 2023 to Jun 2024" in html
    remove_url = reverse("partners:relation_remove", args=[relation.pk]) + f"?of={health.pk}"
    assert "entered by mistake" in librarian_client.get(remove_url).content.decode()
    assert librarian_client.post(remove_url).url == health.get_absolute_url()
    assert "Past ties" not in panel_of(librarian_client, health)
    assert librarian_client.get(edit_url).status_code == 404


def test_the_add_page_explains_what_is_wrong(place, librarian_client):
    url = reverse("partners:relation_add", args=[place["health"].pk])
    response = librarian_client.post(url, {"choice": "", "organization_name": "Nowhere <b>"})
    assert "Choose how they are related" in str(response.context["form"].errors)
    assert "No organization is called" in str(response.context["picker"].errors)
    assert "Nowhere <b>" not in response.content.decode()
    response = librarian_client.post(
        url,
        {"choice": "member_of", "organization_name": place["health"].name, "ended_on": "9999"},
    )
    assert response.status_code == 200
    assert not OrganizationRelation.objects.exists()
    response = librarian_client.post(
        url, {"choice": "member_of", "organization_name": place["health"].name}
    )
    assert "cannot be related to itself" in response.content.decode()
    assert not OrganizationRelation.objects.exists()
