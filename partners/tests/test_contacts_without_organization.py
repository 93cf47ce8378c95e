"""People at no organization (a community champion, an official between roles): added from the
contacts list, found with the list's filter, and added to an organization later from their
page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Affiliation, Contact
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CONTACT_NEW = reverse("partners:contact_new")
CONTACT_LIST = reverse("partners:contact_list")
PERSON = {"name": "Rosa Champion", "preferred_channel": "email"}


def errors(response, form: str = "form") -> dict[str, str]:
    return {name: " ".join(e) for name, e in response.context[form].errors.items()}


def test_the_contacts_list_offers_to_add_a_contact(librarian_client):
    html = librarian_client.get(CONTACT_LIST).content.decode()
    assert f'href="{CONTACT_NEW}">Add a contact</a>' in html
    page = librarian_client.get(CONTACT_NEW).content.decode()
    assert 'name="no_organization"' in page
    assert "Not at any organization now" in page


def test_a_contact_at_no_organization(librarian_client):
    response = librarian_client.post(
        CONTACT_NEW,
        {**PERSON, "email": "rosa@example.org", "no_organization": "on"},
        follow=True,
    )
    contact = Contact.objects.get(name="Rosa Champion")
    assert response.redirect_chain[-1][0] == contact.get_absolute_url()
    html = response.content.decode()
    assert "Rosa Champion was added, at no organization for now." in html
    assert "Not linked to any organization." in html
    assert not Affiliation.objects.filter(contact=contact).exists()
    assert contact.history.count() == 1


def test_no_organization_with_an_organization_typed_saves_nothing(librarian_client, clinic):
    response = librarian_client.post(
        CONTACT_NEW,
        {**PERSON, "organization_name": clinic.name, "no_organization": "on"},
    )
    assert response.status_code == 200
    assert "clear it, or untick this box" in errors(response)["no_organization"]
    assert not Contact.objects.exists()


def test_a_role_needs_an_organization(librarian_client):
    response = librarian_client.post(
        CONTACT_NEW,
        {**PERSON, "title": "Health educator", "no_organization": "on"},
    )
    assert "A role belongs to an organization" in errors(response)["title"]
    assert not response.context["picker"].errors  # the box was not asked for
    assert not Contact.objects.exists()


def test_without_the_box_the_organization_is_still_asked_for(librarian_client):
    response = librarian_client.post(CONTACT_NEW, PERSON)
    assert "Type the organization's name" in errors(response, "picker")["organization_name"]
    assert not Contact.objects.exists()


def test_the_list_filter_finds_people_at_no_organization(librarian_client, clinic):
    AffiliationFactory(organization=clinic, contact=ContactFactory(name="Nora Nurse"))
    ContactFactory(name="Rosa Champion")
    between = AffiliationFactory(organization=clinic, contact=ContactFactory(name="Ed Former"))
    between.end_date = timezone.localdate()
    between.save()
    response = librarian_client.get(CONTACT_LIST, {"kind": "none"})
    names = [c.name for c in response.context["page"].object_list]
    assert names == ["Ed Former", "Rosa Champion"]
    everyone = librarian_client.get(CONTACT_LIST)
    assert len(everyone.context["page"].object_list) == 3


def test_adding_them_to_an_organization_from_their_page(librarian_client, clinic):
    contact = ContactFactory(name="Rosa Champion")
    url = reverse("partners:contact_organization_add", args=[contact.pk])
    assert url in librarian_client.get(contact.get_absolute_url()).content.decode()
    response = librarian_client.post(
        url,
        {"organization_name": clinic.name, "title": "Volunteer", "is_primary": "on"},
        follow=True,
    )
    assert "Rosa Champion was added to Eastside Community Clinic." in response.content.decode()
    affiliation = Affiliation.objects.get(contact=contact)
    assert (affiliation.organization, affiliation.title, affiliation.is_primary) == (
        clinic,
        "Volunteer",
        True,
    )
    # Twice: the reason, and nothing more saved.
    response = librarian_client.post(url, {"organization_name": clinic.name})
    assert "already listed at Eastside Community Clinic" in str(response.context["form"].errors)
    assert Affiliation.objects.filter(contact=contact).count() == 1


def test_not_to_an_archived_or_unknown_organization(librarian_client):
    contact = ContactFactory(name="Rosa Champion")
    url = reverse("partners:contact_organization_add", args=[contact.pk])
    OrganizationFactory(name="Closed Clinic", is_archived=True, archived_at=timezone.now())
    response = librarian_client.post(url, {"organization_name": "Closed Clinic"})
    assert "is archived" in errors(response, "picker")["organization_name"]
    response = librarian_client.post(url, {"organization_name": "<b>Nowhere</b>"})
    assert "No organization is called" in errors(response, "picker")["organization_name"]
    assert "<b>Nowhere</b>" not in response.content.decode()
    assert not Affiliation.objects.exists()
    assert (
        librarian_client.get(
            reverse("partners:contact_organization_add", args=[999999])
        ).status_code
        == 404
    )
