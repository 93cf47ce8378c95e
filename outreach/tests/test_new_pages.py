"""The New menu's outreach pages: a touchpoint, a meeting or a follow-up for an organization
typed by name, opened from the top bar, a list, or a contact's page."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.tests.clock import frozen_clock
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.tests.helpers import at, meeting_data, person_at
from partners.tests.factories import AffiliationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

clock = frozen_clock()  # Monday, November 2, 2026, 10:00 in New York
TODAY = dt.date(2026, 11, 2)

TOUCHPOINT_NEW = reverse("outreach:touchpoint_new")
MEETING_NEW = reverse("outreach:meeting_new")
FOLLOWUP_NEW = reverse("outreach:followup_new")
# What htmx sends when the organization box has chosen an organization.
CONTACTS_OF_CHOSEN = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "organization-contacts"}


def touchpoint_data(**fields: str | list) -> dict:
    return {
        "organization_name": "Eastside Community Clinic",
        "occurred_on": TODAY.isoformat(),
        "channel": "phone",
        "subject": "Called about the health fair",
        **fields,
    }


def followup_data(assignee, **fields: str | list) -> dict:
    return {
        "organization_name": "Eastside Community Clinic",
        "title": "Send the flyers",
        "due_on": "2026-11-09",
        "assignee": str(assignee.pk),
        **fields,
    }


def field_errors(response, form: str, field: str) -> str:
    return " ".join(response.context[form].errors.get(field, []))


@pytest.mark.parametrize("url", [TOUCHPOINT_NEW, MEETING_NEW, FOLLOWUP_NEW])
def test_each_page_asks_for_the_organization_by_name(librarian_client, clinic, url):
    response = librarian_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="organization_name"' in html and "data-organization-picker" in html
    assert "js/organization_picker.js" in html
    assert "<select" not in html.split('name="organization_name"')[0]  # no list of them all
    response = librarian_client.get(url, {"organization": clinic.pk})
    assert response.context["picker"].found == clinic


# Logging a touchpoint


def test_a_touchpoint_logged_by_organization_name_goes_through_the_service(
    librarian_client, librarian, clinic
):
    dana = person_at(clinic, "Dana Whitfield")
    response = librarian_client.post(
        TOUCHPOINT_NEW,
        touchpoint_data(
            organization_name="eastside community clinic",
            contacts=[str(dana.pk)],
            follow_up="7",
        ),
    )
    assert response.status_code == 302
    assert response.url == clinic.get_absolute_url()
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.organization, touchpoint.staff) == (clinic, librarian)
    assert list(touchpoint.contacts.all()) == [dana]
    # What only outreach.services.touchpoint_log does: the follow-up it promised, and the
    # organization's last touchpoint.
    followup = FollowUp.objects.get()
    assert (followup.touchpoint, followup.due_on) == (touchpoint, dt.date(2026, 11, 9))
    clinic.refresh_from_db()
    assert clinic.last_touchpoint_on == TODAY


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Type the organization's name"),
        ("Westside Clinic", "No organization is called “Westside Clinic”."),
        ("Eastside", "Did you mean “Eastside Community Clinic”?"),
    ],
)
def test_an_organization_not_found_is_a_field_error_and_nothing_is_logged(
    librarian_client, clinic, typed, error
):
    response = librarian_client.post(
        TOUCHPOINT_NEW, touchpoint_data(organization_name=typed, follow_up="7")
    )
    assert response.status_code == 200
    assert error in field_errors(response, "picker", "organization_name")
    assert 'id="id_organization_name_error"' in response.content.decode()
    assert not Touchpoint.objects.exists() and not FollowUp.objects.exists()


def test_every_error_shows_at_once_and_ticks_for_no_organization_are_ignored(
    librarian_client, clinic
):
    dana = person_at(clinic, "Dana Whitfield")
    response = librarian_client.post(
        TOUCHPOINT_NEW,
        touchpoint_data(organization_name="Nowhere", subject="", contacts=[str(dana.pk)]),
    )
    assert field_errors(response, "picker", "organization_name")
    assert field_errors(response, "form", "subject")
    assert not field_errors(response, "form", "contacts")
    assert not Touchpoint.objects.exists()


def test_someone_ticked_from_another_organization_is_an_error(librarian_client, clinic, county):
    stranger = person_at(county, "Carla Stranger")
    response = librarian_client.post(TOUCHPOINT_NEW, touchpoint_data(contacts=[str(stranger.pk)]))
    assert "is not a contact of this organization" in field_errors(response, "form", "contacts")
    assert not Touchpoint.objects.exists()


def test_the_people_to_tick_follow_the_organization_chosen(librarian_client, clinic, county):
    person_at(clinic, "Dana Whitfield")
    person_at(county, "Carla Stranger")
    response = librarian_client.get(
        TOUCHPOINT_NEW, {"organization": clinic.pk}, **CONTACTS_OF_CHOSEN
    )
    html = response.content.decode()
    assert "Dana Whitfield" in html and "Carla Stranger" not in html
    assert "<html" not in html  # just the fragment
    response = librarian_client.get(
        TOUCHPOINT_NEW, {"organization": county.pk}, **CONTACTS_OF_CHOSEN
    )
    assert "Carla Stranger" in response.content.decode()
    response = librarian_client.get(TOUCHPOINT_NEW, {"organization": ""}, **CONTACTS_OF_CHOSEN)
    assert "Once the organization is chosen" in response.content.decode()


def test_from_a_contacts_page_they_are_ticked_and_the_page_comes_back(librarian_client, clinic):
    dana = person_at(clinic, "Dana Whitfield")
    url = f"{TOUCHPOINT_NEW}?contact={dana.pk}"
    response = librarian_client.get(url)
    form = response.context["form"]
    assert response.context["picker"].found == clinic
    assert form["contacts"].value() == [dana.pk]
    assert "Log a touchpoint with Dana Whitfield" in response.content.decode()
    # Choosing another of their organizations in the box keeps them ticked.
    response = librarian_client.get(
        TOUCHPOINT_NEW, {"contact": dana.pk, "organization": clinic.pk}, **CONTACTS_OF_CHOSEN
    )
    assert re.search(
        rf'value="{dana.pk}"\s+id="id_contacts_0"\s+checked', response.content.decode()
    )
    response = librarian_client.post(
        url, touchpoint_data(organization=str(clinic.pk), contacts=[str(dana.pk)])
    )
    assert response.url == dana.get_absolute_url()
    assert list(Touchpoint.objects.get().contacts.all()) == [dana]


# Scheduling a meeting


def test_a_meeting_scheduled_by_organization_name(librarian_client, librarian, clinic):
    dana = person_at(clinic, "Dana Whitfield")
    response = librarian_client.post(
        MEETING_NEW,
        meeting_data(
            organization_name="Eastside Community Clinic",
            organization=str(clinic.pk),
            contacts=[str(dana.pk)],
            staff=[str(librarian.pk)],
        ),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert (meeting.organization, meeting.starts_at) == (clinic, at(20, 10))
    assert list(meeting.contacts.all()) == [dana]
    assert list(meeting.staff.all()) == [librarian]
    assert meeting.created_by == librarian  # set by outreach.services.meeting_save


def test_a_meeting_for_no_organization_is_a_field_error_and_nothing_is_saved(
    librarian_client, clinic
):
    response = librarian_client.post(
        MEETING_NEW, meeting_data(organization_name="Eastside Clinic", end_time="09:00")
    )
    assert response.status_code == 200
    assert "Did you mean" in field_errors(response, "picker", "organization_name")
    assert "must end after it starts" in field_errors(response, "form", "end_time")
    assert "the organization above" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meeting_pages_partner_search_and_attendees_work_before_an_organization(
    librarian_client, clinic, county
):
    person_at(county, "Carla Stranger")
    response = librarian_client.get(
        MEETING_NEW,
        {"org_q": "riverside"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="other-organizations",
    )
    assert "Riverside County Health Department" in response.content.decode()
    response = librarian_client.get(
        MEETING_NEW, {"org_q": "riverside", "organization": county.pk},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="other-organizations",
    )  # fmt: skip
    assert "Riverside County Health Department" not in response.content.decode()
    response = librarian_client.get(MEETING_NEW, {"organization": county.pk}, **CONTACTS_OF_CHOSEN)
    assert "Carla Stranger" in response.content.decode()


# Adding a follow-up


def test_a_follow_up_added_from_a_contacts_page(librarian_client, librarian, manager, clinic):
    dana = person_at(clinic, "Dana Whitfield")
    url = f"{FOLLOWUP_NEW}?contact={dana.pk}"
    response = librarian_client.get(url)
    assert response.context["form"]["title"].value() == "Follow up with Dana Whitfield"
    assert response.context["picker"].found == clinic
    response = librarian_client.post(url, followup_data(manager, organization=str(clinic.pk)))
    assert response.url == dana.get_absolute_url()
    followup = FollowUp.objects.get()
    assert (followup.organization, followup.assignee) == (clinic, manager)
    assert followup.created_by == librarian


def test_a_follow_up_for_no_organization_is_a_field_error_and_nothing_is_saved(
    librarian_client, librarian, clinic
):
    twin = OrganizationFactory(name="Eastside Community Clinic")
    response = librarian_client.post(FOLLOWUP_NEW, followup_data(librarian, due_on="2026-10-01"))
    assert "Several organizations are called" in field_errors(
        response, "picker", "organization_name"
    )
    assert field_errors(response, "form", "due_on") == "Pick today or a later day."
    assert f'value="{twin.pk}"' in response.content.decode()  # to tick
    assert not FollowUp.objects.exists()


def test_a_contact_at_several_organizations_chooses_one(librarian_client, clinic, county):
    dana = person_at(clinic, "Dana Whitfield")
    AffiliationFactory(contact=dana, organization=county)
    response = librarian_client.get(FOLLOWUP_NEW, {"contact": dana.pk})
    assert response.context["picker"].found is None
    html = response.content.decode()
    assert "Dana Whitfield is at" in html
    for organization in (clinic, county):
        assert f"?contact={dana.pk}&amp;organization={organization.pk}" in html
