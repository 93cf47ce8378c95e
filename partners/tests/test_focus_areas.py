"""Managers keep the focus areas: add, rename, retire, merge two."""

import pytest
from django.urls import reverse

from partners.models import FocusArea
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("partners:focus_area_list")


@pytest.fixture
def areas():
    return {name: FocusArea.objects.get_or_create(name=name)[0] for name in ("Health", "Literacy")}


def test_a_manager_adds_and_renames_and_a_name_is_never_used_twice(manager_client, areas):
    response = manager_client.post(
        reverse("partners:focus_area_create"), {"name": " Seed  libraries "}
    )
    assert response.status_code == 302
    assert FocusArea.objects.filter(name="Seed libraries").exists()
    response = manager_client.post(reverse("partners:focus_area_create"), {"name": "health"})
    assert response.status_code == 400
    assert "There is already a focus area called “health”." in response.content.decode()
    edit = reverse("partners:focus_area_edit", args=[areas["Health"].pk])
    assert manager_client.post(edit, {"name": "Literacy"}).status_code == 200
    manager_client.post(edit, {"name": "Community wellness"})
    areas["Health"].refresh_from_db()
    assert areas["Health"].name == "Community wellness"


def test_a_retired_focus_area_is_no_longer_offered_but_stays_where_it_is(
    client, manager, librarian, areas
):
    clinic = OrganizationFactory()
    clinic.focus_areas.set([areas["Health"]])
    client.force_login(manager)
    client.post(reverse("partners:focus_area_retire", args=[areas["Health"].pk]))
    areas["Health"].refresh_from_db()
    assert areas["Health"].is_retired
    client.force_login(librarian)
    new = client.get(reverse("partners:organization_create")).context["form"]
    assert areas["Health"] not in new.fields["focus_areas"].queryset
    assert areas["Literacy"] in new.fields["focus_areas"].queryset
    edit = reverse("partners:organization_edit", args=[clinic.pk])
    form = client.get(edit).context["form"]
    assert {areas["Health"], areas["Literacy"]} <= set(form.fields["focus_areas"].queryset)
    client.force_login(manager)
    listing = client.get(LIST).content.decode()
    assert "Retired" in listing and "Offer again" in listing


def test_merging_moves_every_record_once_and_removes_the_other(manager_client, areas):
    both, only_health, only_literacy = (OrganizationFactory() for _ in range(3))
    both.focus_areas.set([areas["Health"], areas["Literacy"]])
    only_health.focus_areas.set([areas["Health"]])
    only_literacy.focus_areas.set([areas["Literacy"]])
    url = reverse("partners:focus_area_merge", args=[areas["Health"].pk])
    page = manager_client.get(url).content.decode()
    assert "The 2 organizations and 0 programs with “Health”" in page
    response = manager_client.post(url, {"survivor": areas["Literacy"].pk}, follow=True)
    assert "1 records moved, 1 already had both" in response.content.decode()
    assert not FocusArea.objects.filter(name="Health").exists()
    for organization in (both, only_health, only_literacy):
        assert list(organization.focus_areas.all()) == [areas["Literacy"]]
    # Into itself: refused, next to the field.
    url = reverse("partners:focus_area_merge", args=[areas["Literacy"].pk])
    response = manager_client.post(url, {"survivor": areas["Literacy"].pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_librarians_use_focus_areas_but_do_not_keep_the_list(librarian_client, areas):
    assert librarian_client.get(LIST).status_code == 403
    url = reverse("partners:focus_area_retire", args=[areas["Health"].pk])
    assert librarian_client.post(url).status_code == 403
