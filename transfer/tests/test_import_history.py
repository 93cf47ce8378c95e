"""Imports and their undo are in the change history: who, and "Imported from <file>".

The import writes in bulk (bulk_create, one UPDATE … FROM VALUES per batch), which sends no
signals, so it writes the history rows itself: each organization, contact and affiliation it
creates or updates gets one, and so does each one its undo archives or removes.
"""

import pytest
from django.urls import reverse

from partners.models import Affiliation, Contact, Organization
from partners.tests.factories import OrganizationFactory
from transfer import services
from transfer.tests.helpers import (
    ORGANIZATION_HEADER,
    confirm,
    csv_bytes,
    organization_rows,
    preview,
    upload_run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_an_organization_import_and_its_undo_are_in_the_history(manager_client, manager):
    existing = OrganizationFactory(name="Partner Organization 0", phone="555-0000")
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(3)]))
    confirm(manager_client, run, update=True)

    created = Organization.objects.get(name="Partner Organization 1")
    first = created.history.get()
    assert (first.history_type, first.history_user, first.history_change_reason) == (
        "+",
        manager,
        "Imported from partners.csv",
    )
    updated = existing.history.order_by("history_date", "history_id").last()
    assert (updated.history_type, updated.history_user, updated.phone) == (
        "~",
        manager,
        "555-010-2030",
    )
    assert updated.history_change_reason == "Imported from partners.csv"
    delta = updated.diff_against(updated.prev_record)
    assert {"phone", "stage", "website", "email"} <= set(delta.changed_fields)

    manager_client.post(reverse("transfer:import_undo", args=[run.pk]))

    undone = created.history.order_by("history_date", "history_id").last()
    assert (undone.history_user, undone.is_archived) == (manager, True)
    assert undone.history_change_reason == "Import of partners.csv undone"
    assert existing.history.count() == 2  # updated by the import, not archived by its undo


def test_a_contact_import_run_by_a_service_records_who_without_a_request(manager_client, manager):
    clinic = OrganizationFactory(name="Clinic")
    content = csv_bytes(
        [
            ["Name", "Email", "Organization", "Title"],
            ["Ana Ruiz", "ana@example.org", "Clinic", "Nurse"],
        ]
    )
    run = upload_run(manager_client, content, kind="contacts", name="people.csv")
    signature = preview(manager_client, run).context["plan"].signature

    services.import_confirm(
        run=run, by=manager, update_existing=False, skip_errors=False, signature=signature
    )

    contact = Contact.objects.get()
    affiliation = Affiliation.objects.get(organization=clinic)
    for row in (contact.history.get(), affiliation.history.get()):
        assert (row.history_type, row.history_user) == ("+", manager)
        assert row.history_change_reason == "Imported from people.csv"

    services.import_undo(run=run, by=manager)

    gone = Contact.history.filter(id=contact.pk).order_by("history_date", "history_id").last()
    assert (gone.history_type, gone.history_user) == ("-", manager)
    assert gone.history_change_reason == "Import of people.csv undone"
    assert Affiliation.history.filter(id=affiliation.pk, history_type="-").exists()
