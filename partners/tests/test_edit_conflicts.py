"""Two people edit the same record: the second save no longer erases the first one's change.

Each edit form is opened, the record is changed behind it (a colleague, through the service),
and the old form is posted: nothing is saved, the form comes back saying who changed the record
and when, with each conflicting field side by side. Posting that form again saves it.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.history import history_context
from core.tests.forms import posted_form
from partners import services
from partners.models import Affiliation, Organization
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# 2:14 PM in New York, where the staff of the tests live (their profile's default).
AT_2_14_PM = dt.datetime(2026, 3, 10, 18, 14, tzinfo=dt.UTC)


@pytest.fixture
def marcus(db):
    from core import roles
    from core.tests.factories import UserFactory

    return UserFactory(username="marcus", first_name="Marcus", last_name="Reed", role=roles.MANAGER)


def conflict_of(response):
    assert response.status_code == 200
    conflict = response.context["form"].conflict
    assert conflict is not None, "the form was not reported as changed meanwhile"
    return conflict


@time_machine.travel(AT_2_14_PM - dt.timedelta(hours=1))
def test_organization_edited_meanwhile_is_not_overwritten(librarian_client, marcus):
    organization = OrganizationFactory(name="Eastside Clinic", phone="555-0100")
    url = reverse("partners:organization_edit", args=[organization.pk])
    opened = librarian_client.get(url)
    with time_machine.travel(AT_2_14_PM, tick=False):
        services.organization_update(organization=organization, by=marcus, phone="555-0199")

    mine = posted_form(opened, phone="555-0123", mission="Health for all")
    with time_machine.travel(AT_2_14_PM + dt.timedelta(minutes=5)):
        response = librarian_client.post(url, mine)

    conflict = conflict_of(response)
    page = response.content.decode()
    assert "Changed by Marcus Reed at 2:14 PM since you opened it." in page
    rows = {row.label: (row.theirs, row.yours, row.changed_by_them) for row in conflict.fields}
    assert rows["Phone"] == ("555-0199", "555-0123", True)
    assert rows["Mission and priorities"] == ("—", "Health for all", False)
    assert "Name" not in rows  # the same on both sides
    assert "555-0199" in page and "555-0123" in page
    organization.refresh_from_db()
    assert (organization.phone, organization.mission) == ("555-0199", "")  # nothing saved

    again = librarian_client.post(url, posted_form(response))  # mine, deliberately
    assert again.status_code == 302
    organization.refresh_from_db()
    assert (organization.phone, organization.mission) == ("555-0123", "Health for all")


def test_organization_changed_outside_the_form_saves_without_a_conflict(librarian_client, marcus):
    """The stage is not on the form: moving the card on the board meanwhile is no conflict."""
    organization = OrganizationFactory(name="Eastside Clinic")
    url = reverse("partners:organization_edit", args=[organization.pk])
    opened = librarian_client.get(url)
    services.stage_change(organization=organization, to_stage="contacted", by=marcus)

    response = librarian_client.post(url, posted_form(opened, phone="555-0123"))

    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.phone, organization.stage) == ("555-0123", "contacted")


@time_machine.travel(AT_2_14_PM - dt.timedelta(hours=1))
def test_role_edited_meanwhile_is_not_overwritten(librarian_client, marcus):
    affiliation = AffiliationFactory(title="Nurse", contact__name="Ana Ruiz")
    url = reverse("partners:affiliation_edit", args=[affiliation.pk])
    opened = librarian_client.get(url)
    with time_machine.travel(AT_2_14_PM, tick=False), history_context(by=marcus):
        services.affiliation_update(
            affiliation=affiliation, title="Head nurse", is_primary=True, start_date=None
        )

    response = librarian_client.post(url, posted_form(opened, title="Charge nurse"))

    conflict = conflict_of(response)
    assert conflict.message == "Changed by Marcus Reed at 2:14 PM since you opened it."
    rows = {row.label: (row.theirs, row.yours, row.changed_by_them) for row in conflict.fields}
    assert rows == {
        "Title or role": ("Head nurse", "Charge nurse", True),
        "Primary contact for this organization": ("Yes", "No", True),
    }
    assert "Head nurse" in response.content.decode()
    affiliation.refresh_from_db()
    assert (affiliation.title, affiliation.is_primary) == ("Head nurse", True)

    again = librarian_client.post(url, posted_form(response))
    assert again.status_code == 302
    affiliation.refresh_from_db()
    assert (affiliation.title, affiliation.is_primary) == ("Charge nurse", False)


def test_a_second_conflict_is_reported_too(librarian_client, marcus):
    """Saving "mine" after a conflict is refused again if a third change came in between."""
    organization = OrganizationFactory(name="Eastside Clinic")
    url = reverse("partners:organization_edit", args=[organization.pk])
    opened = librarian_client.get(url)
    services.organization_update(organization=organization, by=marcus, phone="555-0101")
    first = librarian_client.post(url, posted_form(opened, phone="555-0123"))
    conflict_of(first)
    services.organization_update(organization=organization, by=marcus, phone="555-0102")

    second = librarian_client.post(url, posted_form(first))

    assert dict((r.label, r.theirs) for r in conflict_of(second).fields)["Phone"] == "555-0102"
    assert Organization.objects.get(pk=organization.pk).phone == "555-0102"


def test_a_role_deleted_meanwhile_is_not_found_and_not_recreated(manager_client, manager):
    affiliation = AffiliationFactory(title="Nurse")
    url = reverse("partners:affiliation_edit", args=[affiliation.pk])
    opened = manager_client.get(url)
    Affiliation.objects.filter(pk=affiliation.pk).delete()

    response = manager_client.post(url, posted_form(opened, title="Charge nurse"))

    assert response.status_code == 404
    assert not Affiliation.objects.exists()


@time_machine.travel(AT_2_14_PM - dt.timedelta(hours=1))
def test_contact_edited_meanwhile_is_not_overwritten(librarian_client, marcus):
    ana = ContactFactory(name="Ana Ruiz", phone="555-0100")
    url = reverse("partners:contact_edit", args=[ana.pk])
    opened = librarian_client.get(url)
    with time_machine.travel(AT_2_14_PM, tick=False):
        services.contact_update(contact=ana, by=marcus, phone="555-0199", notes="Mornings only")

    response = librarian_client.post(url, posted_form(opened, phone="555-0123"))

    conflict = conflict_of(response)
    assert conflict.message == "Changed by Marcus Reed at 2:14 PM since you opened it."
    rows = {row.label: (row.theirs, row.yours, row.changed_by_them) for row in conflict.fields}
    assert rows == {
        "Phone": ("555-0199", "555-0123", True),
        "Notes": ("Mornings only", "—", True),
    }
    ana.refresh_from_db()
    assert (ana.phone, ana.notes) == ("555-0199", "Mornings only")

    again = librarian_client.post(url, posted_form(response))
    assert again.status_code == 302
    ana.refresh_from_db()
    assert (ana.phone, ana.notes) == ("555-0123", "")


def test_an_unsubscribe_meanwhile_is_kept_without_a_conflict(librarian_client):
    """The consent flags are saved only when changed in the form: no conflict to report."""
    ana = ContactFactory(name="Ana Ruiz", phone="555-0100")
    url = reverse("partners:contact_edit", args=[ana.pk])
    opened = librarian_client.get(url)
    services.contact_unsubscribe(contact=ana)

    response = librarian_client.post(url, posted_form(opened, phone="555-0123"))

    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.phone, ana.opted_out_of_updates) == ("555-0123", True)


def test_the_same_text_saved_again_from_a_browser_is_no_change(librarian_client, marcus):
    """A browser sends a textarea's lines ending in CRLF: a colleague who saved the form without
    touching the address did not change it, here or in the history."""
    organization = OrganizationFactory(name="Eastside Clinic", address="1129 Elm Court\nHarlow")
    url = reverse("partners:organization_edit", args=[organization.pk])
    opened = librarian_client.get(url)
    services.organization_update(
        organization=organization, by=marcus, phone="555-0199", address="1129 Elm Court\r\nHarlow"
    )

    response = librarian_client.post(url, posted_form(opened, phone="555-0123"))

    rows = {row.label: row.changed_by_them for row in conflict_of(response).fields}
    assert rows == {"Phone": True}
    history = librarian_client.get(reverse("partners:organization_history", args=[organization.pk]))
    assert "Address" not in history.content.decode()
