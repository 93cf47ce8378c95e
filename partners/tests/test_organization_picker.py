"""The organization box of the New pages: its suggestions, how a typed name is resolved without
JavaScript, and the "Add a contact" page that uses it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Affiliation, Contact, Organization
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SUGGESTIONS_URL = reverse("partners:organization_suggestions")
CONTACT_NEW_URL = reverse("partners:contact_new")
# The signed-in user with their roles and time zone (one query: core.backends), then the
# suggestions themselves.
SUGGESTION_QUERIES = 1 + 1


def _options(response) -> list[str]:
    return [o.name for o in response.context["suggestions"]]


def test_suggestions_need_a_login(client):
    OrganizationFactory(name="Eastside Community Clinic")
    response = client.get(SUGGESTIONS_URL, {"q": "eastside"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_suggestions_are_active_organizations_whose_name_matches(librarian_client):
    OrganizationFactory(name="Eastside Community Clinic")
    OrganizationFactory(name="Clinic of the East Side")
    OrganizationFactory(name="Westside Clinic")
    OrganizationFactory(name="Eastside Food Bank", is_archived=True, archived_at=timezone.now())
    response = librarian_client.get(SUGGESTIONS_URL, {"q": "east clin"})
    assert response.status_code == 200
    # Names starting with what was typed first, then the others by name; never archived ones.
    assert _options(response) == ["Eastside Community Clinic", "Clinic of the East Side"]
    html = response.content.decode()
    assert html.count('role="option"') == 2
    assert "2 organizations match “east clin”." in html


def test_suggestions_escape_names_and_what_was_typed(librarian_client):
    OrganizationFactory(name='Clinic <b onclick="alert(1)">& Co</b>')
    html = librarian_client.get(SUGGESTIONS_URL, {"q": "clinic"}).content.decode()
    assert "<b" not in html
    assert "Clinic &lt;b onclick=&quot;alert(1)&quot;&gt;&amp; Co&lt;/b&gt;" in html
    html = librarian_client.get(SUGGESTIONS_URL, {"q": "<script>x"}).content.decode()
    assert "<script" not in html and "“&lt;script&gt;x”" in html


def test_at_most_ten_suggestions_and_a_word_that_there_are_more(librarian_client):
    for i in range(14):
        OrganizationFactory(name=f"Riverside Branch {i:02}")
    response = librarian_client.get(SUGGESTIONS_URL, {"q": "riverside"})
    assert len(_options(response)) == 10
    assert response.content.decode().count('role="option"') == 10
    assert "type more of the name to see others" in response.content.decode()


def test_nothing_typed_or_nothing_found_suggests_nothing(librarian_client):
    OrganizationFactory(name="Eastside Community Clinic")
    for text in ("", "   ", "!!", "zebra"):
        response = librarian_client.get(SUGGESTIONS_URL, {"q": text})
        assert response.status_code == 200
        assert 'role="option"' not in response.content.decode()
    assert "No organization matches “zebra”." in response.content.decode()


@pytest.mark.parametrize("organizations", [3, 40])
def test_suggestions_take_the_same_queries_however_many_match(
    librarian_client, organizations, django_assert_num_queries
):
    for i in range(organizations):
        OrganizationFactory(name=f"Riverside Branch {i:02}")
    librarian_client.get(SUGGESTIONS_URL, {"q": "river"})  # the time-zone profile, made once
    with django_assert_num_queries(SUGGESTION_QUERIES):
        response = librarian_client.get(SUGGESTIONS_URL, {"q": "river"})
    assert len(_options(response)) == min(organizations, 10)


# Adding a contact to any organization ------------------------------------------------------


def _contact_data(**extra: str) -> dict[str, str]:
    return {
        "name": "Dana Whitfield",
        "email": "dana@eastside.example.org",
        "preferred_channel": "email",
        "title": "Outreach nurse",
        **extra,
    }


def test_contact_page_asks_for_the_organization_by_name(librarian_client, clinic):
    response = librarian_client.get(CONTACT_NEW_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="organization_name"' in html
    assert "data-organization-picker" in html
    assert "js/organization_picker.js" in html
    # Opened from an organization's list row or the follow-up list: already filled in.
    response = librarian_client.get(CONTACT_NEW_URL, {"organization": clinic.pk})
    assert f'value="{clinic.name}"' in response.content.decode()
    assert f'value="{clinic.pk}"' in response.content.decode()


def test_a_contact_added_by_organization_name_is_at_that_organization(librarian_client, clinic):
    response = librarian_client.post(
        CONTACT_NEW_URL, _contact_data(organization_name="eastside community clinic")
    )
    contact = Contact.objects.get(name="Dana Whitfield")
    assert response.status_code == 302
    assert response.url == contact.get_absolute_url()
    affiliation = Affiliation.objects.get(contact=contact)
    assert (affiliation.organization, affiliation.title) == (clinic, "Outreach nurse")
    # Through partners.services.contact_create: the change history records who added them.
    assert contact.history.get().history_user.username == "alice"


def test_the_suggestion_chosen_counts_while_the_box_shows_its_name(
    librarian_client, clinic, county
):
    twin = OrganizationFactory(name=clinic.name)
    librarian_client.post(
        CONTACT_NEW_URL,
        _contact_data(organization_name=twin.name, organization=str(twin.pk)),
    )
    assert Affiliation.objects.get().organization == twin
    # The name was changed after choosing: the name typed counts, not the stale number.
    librarian_client.post(
        CONTACT_NEW_URL,
        _contact_data(
            name="Sam Ortiz",
            email="sam@county.example.org",
            organization_name=county.name,
            organization=str(clinic.pk),
        ),
    )
    assert Affiliation.objects.get(contact__name="Sam Ortiz").organization == county


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Type the organization's name and choose it from the list."),
        ("Zebra Society", "No organization is called “Zebra Society”."),
        ("Eastside", "No organization is called “Eastside”. Did you mean “Eastside Community"),
        ("#999999", "There is no organization #999999."),
        ("x" * 301, "Ensure this value has at most 300 characters"),
    ],
)
def test_an_organization_not_found_is_a_field_error_and_nothing_is_saved(
    librarian_client, clinic, typed, error
):
    response = librarian_client.post(CONTACT_NEW_URL, _contact_data(organization_name=typed))
    assert response.status_code == 200
    picker = response.context["picker"]
    assert error in " ".join(picker.errors["organization_name"])
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_organization_name_error"' in html
    assert not Contact.objects.exists()


def test_two_organizations_of_one_name_are_offered_to_tick(librarian_client, clinic):
    twin = OrganizationFactory(name="Eastside Community Clinic")
    response = librarian_client.post(
        CONTACT_NEW_URL, _contact_data(organization_name="Eastside Community Clinic")
    )
    assert "Several organizations are called" in response.content.decode()
    assert response.context["picker"].candidates == [clinic, twin]
    assert f'name="organization_choice" value="{twin.pk}"' in response.content.decode()
    assert not Contact.objects.exists()
    librarian_client.post(
        CONTACT_NEW_URL,
        _contact_data(
            organization_name="Eastside Community Clinic", organization_choice=str(twin.pk)
        ),
    )
    assert Affiliation.objects.get().organization == twin


def test_an_archived_organization_cannot_be_chosen(librarian_client):
    gone = OrganizationFactory(
        name="Old Mill Society", is_archived=True, archived_at=timezone.now()
    )
    for data in ({"organization_name": gone.name}, {"organization_choice": str(gone.pk)}):
        response = librarian_client.post(CONTACT_NEW_URL, _contact_data(**data))
        assert "“Old Mill Society” is archived." in " ".join(
            response.context["picker"].errors["organization_name"]
        )
    assert not Contact.objects.exists()


def test_other_errors_show_with_the_organization_kept(librarian_client, clinic):
    response = librarian_client.post(
        CONTACT_NEW_URL, _contact_data(name="", organization_name="eastside community clinic")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert f'value="{clinic.name}"' in response.content.decode()
    assert f'value="{clinic.pk}"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_contacts_organizations_are_offered_when_there_are_several(librarian_client, clinic):
    """The New pages opened from a contact: their organization filled in, or, when they are at
    several, those to choose from (partners.organization_picker.start_from)."""
    dana = ContactFactory(name="Dana Whitfield")
    AffiliationFactory(contact=dana, organization=clinic)
    url = reverse("outreach:followup_new")
    response = librarian_client.get(url, {"contact": dana.pk})
    assert response.context["picker"].found == clinic
    county = OrganizationFactory(name="Riverside County Health Department")
    AffiliationFactory(contact=dana, organization=county)
    response = librarian_client.get(url, {"contact": dana.pk})
    assert response.context["picker"].found is None
    assert response.context["start"].choices == [clinic, county]
    assert f"?contact={dana.pk}&amp;organization={county.pk}" in response.content.decode()
    assert Organization.objects.count() == 2


def test_tampered_numbers_are_ignored_and_the_name_counts(librarian_client, clinic):
    response = librarian_client.post(
        CONTACT_NEW_URL,
        _contact_data(
            organization_name=clinic.name,
            organization="99999999999999999999999",
            organization_choice="-1",
        ),
    )
    assert response.status_code == 302
    assert Affiliation.objects.get().organization == clinic
