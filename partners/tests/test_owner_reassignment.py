"""Only managers and admins give a partnership to someone else."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def edit_data(organization, owner) -> dict:
    return {
        "name": organization.name,
        "kind": organization.kind,
        "owner": owner.pk if owner else "",
        "website": "",
        "email": "",
        "phone": "",
    }


def test_a_librarian_cannot_reassign_the_owner_in_the_form(librarian_client, librarian, manager):
    organization = OrganizationFactory(owner=librarian)
    page = librarian_client.get(reverse("partners:organization_edit", args=[organization.pk]))
    assert "Only a manager can give this partnership" in page.content.decode()
    response = librarian_client.post(
        reverse("partners:organization_edit", args=[organization.pk]),
        edit_data(organization, manager),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.owner == librarian  # the posted owner was ignored


def test_a_manager_reassigns_the_owner(manager_client, librarian, manager):
    organization = OrganizationFactory(owner=librarian)
    response = manager_client.post(
        reverse("partners:organization_edit", args=[organization.pk]),
        edit_data(organization, manager),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.owner == manager


def test_the_service_refuses_a_librarians_reassignment(librarian, manager):
    organization = OrganizationFactory(owner=librarian)
    with pytest.raises(ValidationError) as error:
        services.organization_update(organization=organization, by=librarian, owner=manager)
    assert "owner" in error.value.message_dict
    organization.refresh_from_db()
    assert organization.owner == librarian
    # Editing other fields, with the owner unchanged, is fine for a librarian.
    services.organization_update(organization=organization, by=librarian, owner=librarian)
