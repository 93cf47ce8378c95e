"""The page of a finished import links to every record it created or updated, 25 rows a page."""

import re

import pytest
from django.urls import reverse

from partners.models import Contact, Organization
from partners.tests.factories import OrganizationFactory
from transfer.tests.helpers import (
    ORGANIZATION_HEADER,
    confirm,
    csv_bytes,
    organization_rows,
    upload_run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def links(page: str) -> list[str]:
    return re.findall(r'href="(/(?:organizations|contacts)/\d+/)"', page)


def test_the_finished_import_links_to_each_record_it_created_and_updated(manager_client):
    existing = OrganizationFactory(name="Partner Organization 0")
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(30)]))
    response = confirm(manager_client, run, update=True)

    page = manager_client.get(response.url).content.decode()

    assert "Organizations it created and updated" in page
    assert "Page 1 of 2" in page
    first = Organization.objects.get(name="Partner Organization 1")
    assert links(page)[:2] == [existing.get_absolute_url(), first.get_absolute_url()]
    assert len(links(page)) == 25
    assert re.search(r">Partner Organization 0</a>.*?Updated", page, re.DOTALL)
    assert re.search(r">Partner Organization 1</a>.*?Created", page, re.DOTALL)

    second = manager_client.get(response.url, {"page": 2}).content.decode()
    last = Organization.objects.get(name="Partner Organization 29")
    assert len(links(second)) == 5 and links(second)[-1] == last.get_absolute_url()
    assert "Page 2 of 2" in second


def test_a_contact_import_shows_each_row_with_the_role_it_added_and_what_undo_removed(
    manager_client,
):
    county = OrganizationFactory(name="County Health")
    rows = [
        ["Name", "Email", "Organization", "Title or role", "To"],
        ["Ana Ruiz", "ana@example.org", "County Health", "Nurse", ""],
        ["Ana Ruiz", "ana@example.org", "Eastside Clinic", "", ""],  # no such organization
        ["Bo Li", "bo@example.org", "", "", ""],
    ]
    run = upload_run(manager_client, csv_bytes(rows), kind="contacts")
    confirm(manager_client, run, skip_errors=True)
    ana = Contact.objects.get(name="Ana Ruiz")

    page = manager_client.get(run.get_absolute_url()).content.decode()

    assert "Contacts it created and updated" in page
    assert links(page) == [
        ana.get_absolute_url(),
        Contact.objects.get(name="Bo Li").get_absolute_url(),
    ]
    assert f"Nurse at {county.name}" in page
    assert "Page 1" not in page  # one page: no pagination

    manager_client.post(reverse("transfer:import_undo", args=[run.pk]))
    page = manager_client.get(run.get_absolute_url()).content.decode()
    assert links(page) == [] and page.count("No longer in Liaison") == 2


def test_an_import_that_skipped_every_row_says_so(manager_client):
    OrganizationFactory(name="Partner Organization 0")
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(1)]))
    confirm(manager_client, run)
    page = manager_client.get(run.get_absolute_url()).content.decode()
    assert "None: every row was skipped." in page
