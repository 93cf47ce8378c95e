"""Importing organizations and contacts: the preview promises, the confirmed import keeps the
promise in one go, errors and duplicates hold everything back, and undo takes it back."""

import pytest
from django.test import Client
from django.urls import reverse

from outreach.models import Touchpoint
from partners import services as partner_services
from partners.models import Affiliation, Contact, Organization, StageChange
from partners.tests.factories import ContactFactory, OrganizationFactory
from transfer.models import ImportRun, ImportRunItem
from transfer.tests.helpers import (
    ORGANIZATION_HEADER,
    confirm,
    csv_bytes,
    organization_rows,
    preview,
    upload,
    upload_run,
    xlsx_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_good_file_creates_exactly_what_the_preview_promised(manager_client, manager):
    OrganizationFactory(name="Partner Organization 3")  # already in Liaison: skipped
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(10)]))
    plan = preview(manager_client, run).context["plan"]
    promised = {row.values["name"] for row in plan.new}
    assert len(promised) == 9 and [row.number for row in plan.matches] == [5]
    assert plan.errors == []
    assert Organization.objects.count() == 1  # nothing written by the preview

    response = confirm(manager_client, run)

    assert response.status_code == 302
    created = Organization.objects.exclude(name="Partner Organization 3")
    assert set(created.values_list("name", flat=True)) == promised
    organization = created.get(name="Partner Organization 0")
    assert (organization.kind, organization.stage) == ("nonprofit", "contacted")
    assert organization.website == "https://partner0.example.org"
    assert organization.email == "info@partner0.example.org"
    assert organization.normalized_name == "partnerorganization0"
    # Every new organization starts its stage history, as one created by hand does.
    assert StageChange.objects.filter(organization__in=created, changed_by=manager).count() == 9
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert (run.created_count, run.updated_count, run.skipped_count) == (9, 0, 1)
    assert run.uploaded_by == manager and run.confirmed_at is not None
    assert run.items.filter(action="created").count() == 9


def test_three_bad_rows_of_fifty_are_shown_and_nothing_is_written_until_skipped(
    manager_client,
):
    rows = organization_rows(50)
    rows[4][4] = "not-an-email"  # spreadsheet row 6
    rows[19][0] = ""  # row 21: no name
    rows[39][2] = "Almost there"  # row 41: unknown stage
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))

    response = preview(manager_client, run)

    errors = [
        (row.number, *error) for row in response.context["plan"].errors for error in row.errors
    ]
    assert errors == [
        (6, "E-mail", "Enter a valid email address."),
        (21, "Organisation", "Every organization needs a name."),
        (
            41,
            "Stage",
            "“Almost there” is not a stage Liaison knows. Write one of: Identified, "
            "Researching, Contacted, In discussion, Active partner, Dormant, Declined.",
        ),
    ]
    page = response.content.decode()
    assert "Rows with errors (3)" in page and "Enter a valid email address." in page

    response = confirm(manager_client, run)
    assert response.status_code == 400
    assert "Some rows have errors" in response.content.decode()
    assert Organization.objects.count() == 0
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW

    response = confirm(manager_client, run, skip_errors=True)
    assert response.status_code == 302
    assert Organization.objects.count() == 47
    run.refresh_from_db()
    assert (run.created_count, run.skipped_count, run.error_count) == (47, 3, 3)


def test_a_fixed_file_imports_every_row(manager_client):
    rows = organization_rows(50)
    rows[4][4] = "not-an-email"
    broken = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))
    assert preview(manager_client, broken).context["plan"].errors
    rows[4][4] = "hello@partner4.example.org"
    fixed = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))
    assert confirm(manager_client, fixed).status_code == 302
    assert Organization.objects.count() == 50


def test_duplicate_rows_within_the_file_are_flagged(manager_client):
    rows = [
        ["St. Mary's Clinic", "", "", "https://stmarys.example.org", "", ""],
        ["Riverside Literacy Council", "", "", "", "", ""],
        ["ST MARYS CLINIC", "", "", "", "", ""],  # same name, written differently
        ["Saint Mary Clinic", "", "", "http://www.stmarys.example.org/", "", ""],  # same site
    ]
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))
    plan = preview(manager_client, run).context["plan"]
    assert [(row.number, row.errors) for row in plan.errors] == [
        (4, [("Organisation", "Row 2 has the same name: is it the same organization?")]),
        (5, [("Web site", "Row 2 has the same website: is it the same organization?")]),
    ]

    contacts = csv_bytes(
        [["Name", "Email"], ["Ana Muñoz", "ana@example.org"], ["Ana M.", " ANA@example.org"]]
    )
    run = upload_run(manager_client, contacts, kind="contacts")
    plan = preview(manager_client, run).context["plan"]
    assert [(row.number, row.errors) for row in plan.errors] == [
        (
            3,
            [
                (
                    "Email",
                    "Row 2 has the same email with another name: one person has the same "
                    "details on each of their rows.",
                )
            ],
        )
    ]


def test_windows_1252_names_survive(manager_client):
    content = csv_bytes(
        [["Organization", "Address"], ["Biblioteca Peñalolén", "Calle José Núñez 5"]],
        encoding="cp1252",
    )
    assert "é".encode("cp1252") in content  # really not UTF-8
    run = upload_run(manager_client, content)
    assert "Windows-1252" in preview(manager_client, run).content.decode()
    confirm(manager_client, run)
    organization = Organization.objects.get()
    assert organization.name == "Biblioteca Peñalolén"
    assert organization.address == "Calle José Núñez 5"


def test_utf8_with_byte_order_mark_and_excel_workbooks_are_read(manager_client):
    content = b"\xef\xbb\xbf" + csv_bytes([["Name", "E-mail"], ["Zoë Ångström", "zoe@example.org"]])
    confirm(manager_client, upload_run(manager_client, content, kind="contacts"))
    assert Contact.objects.get().name == "Zoë Ångström"

    workbook = xlsx_bytes([["Organization", "Phone"], ["Library Friends", 5550102030]])
    confirm(manager_client, upload_run(manager_client, workbook, name="orgs.xlsx"))
    assert Organization.objects.get().phone == "5550102030"


def test_rows_matching_existing_records_are_skipped_unless_update_is_chosen(
    manager_client, manager
):
    existing = OrganizationFactory(name="County Health Department", stage="identified")
    rows = [
        ["County Health District", "Government agency", "Active partner", "", "", ""],
        ["Other name", "", "", "https://health.county.example.gov", "", ""],
    ]
    by_site = OrganizationFactory(name="Health", website="https://health.county.example.gov/")
    content = csv_bytes([ORGANIZATION_HEADER, *rows])
    # "County Health District" is not the department's normalised name: it is new.
    plan = preview(manager_client, upload_run(manager_client, content)).context["plan"]
    assert [row.status for row in plan.rows] == ["new", "match"]
    assert plan.matches[0].match_id == by_site.pk

    rows[0][0] = "County Health Dept."  # the same name, abbreviated
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))
    confirm(manager_client, run)  # skip: nothing changes
    existing.refresh_from_db()
    assert (existing.kind, existing.stage) == ("nonprofit", "identified")

    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))
    confirm(manager_client, run, update=True)
    existing.refresh_from_db()
    assert existing.name == "County Health Department"  # the name is never changed
    assert (existing.kind, existing.stage) == ("government", "active")
    # The stage change is in the stage history, as everywhere else.
    change = existing.stage_changes.first()
    assert change is not None
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        "identified",
        "active",
        manager,
    )
    run.refresh_from_db()
    assert (run.created_count, run.updated_count) == (0, 2)
    assert Organization.objects.count() == 2


def test_columns_are_matched_by_name_and_can_be_changed(manager_client):
    content = csv_bytes(
        [["Org name", "Notes", "Tel"], ["Riverside Literacy Council", "call first", "555-0101"]]
    )
    run = upload_run(manager_client, content)
    assert run.mapping == ["name", "", "phone"]
    response = preview(manager_client, run)
    assert response.context["mapping_form"]["column_2"].value() == "phone"

    url = reverse("transfer:import_detail", args=[run.pk])
    response = manager_client.post(
        url, {"column_0": "name", "column_1": "mission", "column_2": "name"}
    )
    assert response.status_code == 200
    assert "Choose it for one column only" in response.content.decode()

    response = manager_client.post(url, {"column_0": "name", "column_1": "mission"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.mapping == ["name", "mission", ""]
    confirm(manager_client, run)
    organization = Organization.objects.get()
    assert (organization.mission, organization.phone) == ("call first", "")


def test_without_a_name_column_nothing_can_be_imported(manager_client):
    run = upload_run(manager_client, csv_bytes([["Web", "Phone"], ["example.org", "555-0101"]]))
    response = preview(manager_client, run)
    assert "Choose the column that holds the organization name" in response.content.decode()
    assert confirm(manager_client, run).status_code == 400
    assert Organization.objects.count() == 0


def test_confirm_stops_when_the_rows_changed_since_the_preview(manager_client):
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(3)]))
    signature = preview(manager_client, run).context["plan"].signature
    OrganizationFactory(name="Partner Organization 1")  # someone adds it meanwhile
    response = manager_client.post(
        reverse("transfer:import_confirm", args=[run.pk]),
        {"update_existing": "no", "signature": signature},
    )
    assert response.status_code == 302
    assert Organization.objects.count() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW


def test_a_run_is_imported_once(manager_client):
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(2)]))
    signature = preview(manager_client, run).context["plan"].signature
    url = reverse("transfer:import_confirm", args=[run.pk])
    for _ in range(2):
        manager_client.post(url, {"update_existing": "no", "signature": signature})
    assert Organization.objects.count() == 2


def test_formulas_control_characters_and_long_values_are_errors(manager_client):
    rows = organization_rows(4)
    rows[0][0] = '=HYPERLINK("http://evil.example","Click")'
    rows[1][4] = "+cmd|' /C calc'!A0"
    rows[2][0] = "x" * 300
    rows[3][5] = "+1 (555) 010-2030"  # a phone number is not a formula
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))
    plan = preview(manager_client, run).context["plan"]
    messages = {row.number: [m for _, m in row.errors] for row in plan.errors}
    assert "would run as a formula" in messages[2][0] and len(messages[2]) == 1
    assert "would run as a formula" in messages[3][0]
    assert messages[4] == ["Ensure this value has at most 200 characters (it has 300)."]
    assert [row.number for row in plan.new] == [5]


def test_contacts_are_linked_to_their_organization_and_matched_by_email(manager_client):
    clinic = OrganizationFactory(name="St. Mary's Clinic", website="https://stmarys.example.org")
    known = ContactFactory(name="Ana Muñoz", email="ana@example.org", phone="")
    content = csv_bytes(
        [
            ["First name", "Last name", "E-mail", "Phone number", "Company", "Job title", "DNC"],
            ["Ana", "Muñoz", "ANA@example.org", "555-0101", "st marys clinic", "Nurse", ""],
            ["Bo", "Li", "bo@example.org", "", "stmarys.example.org", "Director", "yes"],
            ["Cy", "Ng", "", "", "Nowhere Inc", "", "maybe"],
        ]
    )
    run = upload_run(manager_client, content, kind="contacts")
    plan = preview(manager_client, run).context["plan"]
    assert [row.status for row in plan.rows] == ["match", "new", "error"]
    assert [m for _, m in plan.errors[0].errors] == [
        "Write yes or no (or leave the cell empty).",
        "No organization in Liaison is called “Nowhere Inc”. Import or add it first, or leave "
        "the cell empty.",
    ]
    confirm(manager_client, run, update=True, skip_errors=True)

    bo = Contact.objects.get(email="bo@example.org")
    assert (bo.name, bo.do_not_contact) == ("Bo Li", True)
    assert bo.affiliations.get().organization == clinic
    known.refresh_from_db()
    assert known.phone == "555-0101"
    assert known.affiliations.get().title == "Nurse"
    run.refresh_from_db()
    assert (run.created_count, run.updated_count, run.skipped_count) == (1, 1, 1)


def test_undo_archives_what_was_created(manager_client, manager):
    existing = OrganizationFactory(name="Partner Organization 0")
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(4)]))
    confirm(manager_client, run, update=True)
    created = list(Organization.objects.exclude(pk=existing.pk))
    assert len(created) == 3

    url = reverse("transfer:import_undo", args=[run.pk])
    response = manager_client.get(url)
    assert "3 organizations it created will be archived" in response.content.decode()
    response = manager_client.post(url)

    assert response.status_code == 302
    assert all(o.is_archived for o in Organization.objects.filter(pk__in=[o.pk for o in created]))
    existing.refresh_from_db()
    assert not existing.is_archived  # updated, not created: it stays
    run.refresh_from_db()
    assert (run.status, run.undone_by) == (ImportRun.Status.UNDONE, manager)
    assert manager_client.post(url).status_code == 302  # a second undo does nothing
    assert Organization.objects.count() == 4


def test_undo_removes_untouched_contacts_and_keeps_those_used_since(manager_client, manager):
    clinic = OrganizationFactory(name="Clinic")
    content = csv_bytes(
        [
            ["Name", "Email", "Organization"],
            ["Untouched", "u@example.org", "Clinic"],
            ["Edited", "e@example.org", "Clinic"],
            ["Logged", "l@example.org", ""],
        ]
    )
    run = upload_run(manager_client, content, kind="contacts")
    confirm(manager_client, run)
    edited = Contact.objects.get(name="Edited")
    partner_services.contact_update(contact=edited, phone="555-0101")
    logged = Contact.objects.get(name="Logged")
    touchpoint = Touchpoint.objects.create(
        organization=clinic,
        staff=manager,
        channel="email",
        subject="Hello",
        occurred_on="2026-01-05",
    )
    touchpoint.contacts.add(logged)

    response = manager_client.get(reverse("transfer:import_undo", args=[run.pk]))
    assert "2 contacts it created will stay" in response.content.decode()
    manager_client.post(reverse("transfer:import_undo", args=[run.pk]))

    assert set(Contact.objects.values_list("name", flat=True)) == {"Edited", "Logged"}
    assert Affiliation.objects.filter(contact=edited).exists()
    assert ImportRunItem.objects.filter(run=run, contact__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"Organization,Website\r\n", "The file has the column names but no rows to import."),
        (b"Name\x00,Web\r\nx,y\r\n", "The file holds binary data"),
        ("Name\r\nCafé\r\n".encode("utf-16"), "The file is UTF-16 text."),
        (b"Name\r\nBad \x81\x8d byte\r\n", "neither UTF-8 nor Windows-1252"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel workbook (.xls)"),
        (b"PK\x03\x04garbage", "damaged"),
        (b"Name," + b"x," * 100_000 + b"\r\nA\r\n", "columns; the limit is 100"),
        (b'Name\r\n"' + b"x" * 200_000 + b'"\r\n', "value longer than"),
        (b'Name\r\n"unclosed\r\n', "opens a quotation mark that is never closed"),
        (b"Name\r\nA,extra\r\n", "which has no name in the header"),
    ],
    ids=[
        "empty",
        "header-only",
        "nul",
        "utf16",
        "undecodable",
        "xls",
        "broken-zip",
        "100k-columns",
        "huge-cell",
        "unclosed-quote",
        "unnamed-column",
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message_and_nothing_stored(
    manager_client, content, message
):
    response = upload(manager_client, content)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert ImportRun.objects.count() == 0


def test_librarians_cannot_import(manager_client, librarian):
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(1)]))
    librarian_client = Client()
    librarian_client.force_login(librarian)
    for method, name, args in [
        ("get", "transfer:import_list", []),
        ("get", "transfer:import_upload", []),
        ("post", "transfer:import_upload", []),
        ("get", "transfer:import_detail", [run.pk]),
        ("post", "transfer:import_confirm", [run.pk]),
        ("get", "transfer:import_undo", [run.pk]),
    ]:
        response = getattr(librarian_client, method)(reverse(name, args=args))
        assert response.status_code == 403, name
    assert Organization.objects.count() == 0


def test_history_lists_runs_with_their_counts(manager_client):
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(2)]))
    confirm(manager_client, run)
    upload_run(
        manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(1)]), name="b.csv"
    )
    response = manager_client.get(reverse("transfer:import_list"))
    page = response.content.decode()
    assert "partners.csv" in page and "b.csv" in page
    assert "Not imported yet" in page and "Undo" in page


def test_tampered_mapping_and_confirm_posts_are_refused_without_writing(manager_client):
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(2)]))
    url = reverse("transfer:import_detail", args=[run.pk])
    response = manager_client.post(url, {"column_0": "is_archived", "column_999": "name"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    run.refresh_from_db()
    assert run.mapping[0] == "name"

    confirm_url = reverse("transfer:import_confirm", args=[run.pk])
    for data in ({}, {"update_existing": "maybe", "signature": "x" * 500}):
        assert manager_client.post(confirm_url, data).status_code == 400
    forged = {"update_existing": "no", "signature": "forged"}
    assert manager_client.post(confirm_url, forged).status_code == 302
    assert Organization.objects.count() == 0
    assert manager_client.get(reverse("transfer:import_detail", args=[999_999])).status_code == 404
