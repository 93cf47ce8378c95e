"""The import pages and the import itself run a bounded number of queries, whatever the rows."""

import pytest
from django.db import connection
from django.urls import reverse

from partners.models import Affiliation, Contact, FocusArea, Organization, StageChange
from partners.tests.factories import OrganizationFactory
from transfer.tests.helpers import (
    ORGANIZATION_HEADER,
    confirm,
    csv_bytes,
    organization_rows,
    upload_run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# Session, user, the user's roles and time zone (4 queries), then the page's own: the history
# adds the count and the page of runs (with who uploaded and undid them); the preview adds the
# run and the existing organizations (or contacts and organizations) the rows are compared
# with, the staff when an owner column is imported and the focus areas when a focus area
# column is; a finished import adds the run, the count of its rows and a page of them (with
# the records they made).
MAX_QUERIES = {"import_list": 6, "import_detail": 8, "finished_import": 7}


def max_import_queries() -> int:
    """Writes go in batches of 500 rows; SQLite caps the parameters of one statement (999), so
    there each batch of organizations splits into smaller inserts. Each record created or
    updated also gets its change-history row (core.history), written in batches too."""
    return 40 if connection.vendor == "postgresql" else 150


@pytest.mark.parametrize("runs", [3, 40])
def test_history_queries(manager_client, runs, django_assert_max_num_queries):
    for i in range(runs):
        upload_run(manager_client, csv_bytes([["Name"], [f"Partner {i}"]]), name=f"f{i}.csv")
    with django_assert_max_num_queries(MAX_QUERIES["import_list"]):
        response = manager_client.get(reverse("transfer:import_list"))
    assert len(response.context["page"].object_list) == min(runs, 25)


@pytest.mark.parametrize("rows", [5, 300])
def test_preview_queries(manager_client, rows, django_assert_max_num_queries):
    for i in range(0, rows, 2):
        OrganizationFactory(name=f"Partner Organization {i}")
    header = [*ORGANIZATION_HEADER, "Owner", "Focus areas"]
    cells = ["maria", "Education; Housing"]
    FocusArea.objects.get_or_create(name="Education")
    FocusArea.objects.get_or_create(name="Housing")
    run = upload_run(
        manager_client,
        csv_bytes([header, *(row + cells for row in organization_rows(rows))]),
    )
    with django_assert_max_num_queries(MAX_QUERIES["import_detail"]):
        response = manager_client.get(reverse("transfer:import_detail", args=[run.pk]))
    assert len(response.context["plan"].matches) == (rows + 1) // 2
    assert response.context["plan"].errors == []


@pytest.mark.parametrize("kind", ["organizations", "contacts"])
@pytest.mark.parametrize("rows", [5, 60])
def test_finished_import_queries(manager_client, kind, rows, django_assert_max_num_queries):
    OrganizationFactory(name="Clinic")
    if kind == "organizations":
        content = csv_bytes([ORGANIZATION_HEADER, *organization_rows(rows)])
    else:
        people = [[f"Person {i}", f"p{i}@example.org", "Clinic", "Nurse"] for i in range(rows)]
        content = csv_bytes([["Name", "Email", "Organization", "Title"], *people])
    run = upload_run(manager_client, content, kind=kind)
    confirm(manager_client, run)
    with django_assert_max_num_queries(MAX_QUERIES["finished_import"]):
        response = manager_client.get(reverse("transfer:import_detail", args=[run.pk]))
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_two_thousand_rows_import_in_a_bounded_number_of_queries(
    manager_client, manager, django_assert_max_num_queries
):
    for i in range(0, 2000, 10):
        OrganizationFactory(name=f"Partner Organization {i}")
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(2000)]))
    signature = manager_client.get(run.get_absolute_url()).context["plan"].signature
    # Base 4, the run locked, the comparisons (2), then in batches of 500: 1,800 organizations,
    # their stage history, change history and import items (4 + 4 + 4 + 4), the 200 updated ones,
    # their change history (read back, written) and items (1 + 2 + 1), the stage changes, the run
    # saved, and the savepoints.
    with django_assert_max_num_queries(max_import_queries()):
        response = manager_client.post(
            reverse("transfer:import_confirm", args=[run.pk]),
            {"update_existing": "yes", "signature": signature},
        )
    assert response.status_code == 302
    assert Organization.objects.count() == 2000
    assert StageChange.objects.filter(changed_by=manager).count() == 2000  # 1,800 new + 200 moved


def test_two_thousand_contacts_import_in_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries
):
    clinic = OrganizationFactory(name="Clinic")
    rows = [[f"Person {i}", f"p{i}@example.org", "Clinic", "Nurse"] for i in range(2000)]
    content = csv_bytes([["Name", "Email", "Organization", "Title"], *rows])
    run = upload_run(manager_client, content, kind="contacts")
    signature = manager_client.get(run.get_absolute_url()).context["plan"].signature
    with django_assert_max_num_queries(max_import_queries()):
        manager_client.post(
            reverse("transfer:import_confirm", args=[run.pk]),
            {"update_existing": "no", "signature": signature},
        )
    assert Contact.objects.count() == 2000
    assert clinic.affiliations.count() == 2000


def test_two_thousand_rows_of_people_with_two_roles_import_in_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries
):
    clinic = OrganizationFactory(name="Clinic")
    OrganizationFactory(name="School")
    header = ["Name", "Email", "Opted out of updates", "Organization", "Title", "From", "To"]
    rows = []
    for i in range(1000):
        person = [f"Person {i}", f"p{i}@example.org", "Yes" if i % 2 else "No"]
        rows.append([*person, "Clinic", "Nurse", "2024-01-01", ""])
        rows.append([*person, "School", "Volunteer", "2020-01-01", "2021-06-30"])
    run = upload_run(manager_client, csv_bytes([header, *rows]), kind="contacts")
    signature = manager_client.get(run.get_absolute_url()).context["plan"].signature
    with django_assert_max_num_queries(max_import_queries()):
        manager_client.post(
            reverse("transfer:import_confirm", args=[run.pk]),
            {"update_existing": "no", "signature": signature},
        )
    assert Contact.objects.count() == 1000
    assert Contact.objects.filter(opted_out_of_updates=True).count() == 500
    assert clinic.affiliations.count() == 1000
    assert Affiliation.objects.filter(end_date__isnull=False).count() == 1000
