"""The columns an export writes, imported: focus areas, stage since, archived, a person's
several roles, primary contact, role dates, opt-outs; and an error that names the valid
choices when a cell holds one Liaison does not know."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Affiliation, Contact, FocusArea, OptOutChange, Organization
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory
from transfer.tests.helpers import confirm, csv_bytes, preview, upload_run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

FOCUS_AREAS = (
    "Digital literacy",
    "Early literacy",
    "Education",
    "Housing",
    "Wellness",
    "Youth and teens",
)


@pytest.fixture(autouse=True)
def focus_areas(db):
    """The focus areas Liaison has (an admin keeps the list): these, whatever else ran before."""
    FocusArea.objects.all().delete()
    FocusArea.objects.bulk_create([FocusArea(name=name) for name in FOCUS_AREAS])


def errors_of(client, rows: list[list[str]], kind: str = "organizations") -> list[tuple]:
    run = upload_run(client, csv_bytes(rows), kind=kind)
    plan = preview(client, run).context["plan"]
    return [(row.number, *error) for row in plan.errors for error in row.errors]


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        (
            "Kind",
            "Library",
            "“Library” is not a kind of organization Liaison knows. Write one of: Government "
            "agency, Health organization, School, Nonprofit, Business, Community group, Other.",
        ),
        (
            "Government level",
            "Municipal",
            "“Municipal” is not a government level Liaison knows. Write one of: City, County, "
            "State, Federal, Tribal.",
        ),
        (
            "Focus areas",
            "education;Gardening; Knitting",
            "“Gardening”, “Knitting” are not focus areas Liaison knows. The focus areas are: "
            f"{'; '.join(FOCUS_AREAS)}. Separate several with “;”.",
        ),
    ],
)
def test_an_unknown_choice_is_an_error_naming_the_valid_ones(manager_client, column, cell, message):
    rows = [["Name", column], ["Riverside Library Friends", cell]]
    assert errors_of(manager_client, rows) == [(2, column, message)]


def test_an_unknown_channel_is_an_error_naming_the_valid_ones(manager_client):
    rows = [["Name", "Preferred channel"], ["Ana Ruiz", "Fax"]]
    assert errors_of(manager_client, rows, kind="contacts") == [
        (
            2,
            "Preferred channel",
            "“Fax” is not a channel Liaison knows. Write one of: Email, Phone, Letter, In person.",
        )
    ]


def test_focus_areas_are_read_by_name_and_replace_those_of_a_record_updated(manager_client):
    school = OrganizationFactory(name="Lincoln Elementary")
    school.focus_areas.set(FocusArea.objects.filter(name="Housing"))
    kept = OrganizationFactory(name="Eastside Clinic")
    kept.focus_areas.set(FocusArea.objects.filter(name="Wellness"))
    rows = [
        ["Name", "Focus areas"],
        ["Lincoln Elementary", "EARLY LITERACY;  youth and teens ;"],
        ["Eastside Clinic", ""],  # an empty cell keeps what Liaison has
        ["Riverside Literacy Council", "Digital literacy; Education"],
    ]
    run = upload_run(manager_client, csv_bytes(rows))
    confirm(manager_client, run, update=True)

    def names(organization: Organization) -> set[str]:
        return set(organization.focus_areas.values_list("name", flat=True))

    assert names(school) == {"Early literacy", "Youth and teens"}
    assert names(kept) == {"Wellness"}
    assert names(Organization.objects.get(name="Riverside Literacy Council")) == {
        "Digital literacy",
        "Education",
    }


def test_stage_since_dates_a_new_organizations_stage_and_must_be_a_past_day(manager_client):
    rows = [
        ["Name", "Stage", "Stage since"],
        ["Riverside Literacy Council", "Contacted", "2024-02-29"],
        ["Lincoln Elementary", "Identified", "03/15/2025"],
        ["Eastside Clinic", "", "next week"],
        ["Northside Food Bank", "", "2999-01-01"],
    ]
    assert errors_of(manager_client, rows) == [
        (4, "Stage since", "“next week” is not a date: write it as 2025-03-31."),
        (5, "Stage since", "2999-01-01 is in the future: a stage begins on or before today."),
    ]
    run = upload_run(manager_client, csv_bytes(rows[:3]))
    confirm(manager_client, run)
    council = Organization.objects.get(name="Riverside Literacy Council")
    assert timezone.localdate(council.stage_changed_at) == dt.date(2024, 2, 29)
    assert council.stage_changes.get().changed_at == council.stage_changed_at


def test_archived_yes_archives_and_no_restores(manager_client):
    archived = OrganizationFactory(
        name="Old Partner", is_archived=True, archived_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    active = OrganizationFactory(name="Current Partner")
    rows = [
        ["Name", "Archived"],
        ["Old Partner", "No"],
        ["Current Partner", "yes"],
        ["New Partner", "Yes"],
        ["Other Partner", ""],
        ["Odd Partner", "perhaps"],
    ]
    assert errors_of(manager_client, rows) == [
        (6, "Archived", "Write yes or no (or leave the cell empty).")
    ]
    confirm(manager_client, upload_run(manager_client, csv_bytes(rows[:5])), update=True)
    states = dict(Organization.objects.values_list("name", "is_archived"))
    assert states == {
        "Old Partner": False,
        "Current Partner": True,
        "New Partner": True,
        "Other Partner": False,
    }
    active.refresh_from_db()
    archived.refresh_from_db()
    assert active.archived_at is not None and archived.archived_at is None


def test_a_persons_rows_with_the_same_email_make_one_contact_with_each_role(manager_client):
    county = OrganizationFactory(name="County Health")
    clinic = OrganizationFactory(name="Eastside Clinic")
    rows = [
        ["Name", "Email", "Organization", "Title or role", "Primary contact", "From", "To"],
        ["Ana Ruiz", "ana@example.org", "County Health", "Nurse", "Yes", "2023-05-01", ""],
        [
            "Ana Ruiz",
            "ANA@example.org",
            "Eastside Clinic",
            "Volunteer",
            "No",
            "2020-01-01",
            "2022-12-31",
        ],
        ["Bo Li", "bo@example.org", "", "", "", "", ""],
    ]
    run = upload_run(manager_client, csv_bytes(rows), kind="contacts")
    response = preview(manager_client, run)
    plan = response.context["plan"]
    assert [(row.number, row.status) for row in plan.rows] == [(2, "new"), (3, "role"), (4, "new")]
    assert "1 more row with another role of the same person" in response.content.decode()
    confirm(manager_client, run)

    ana = Contact.objects.get(email="ana@example.org")
    assert sorted(
        ana.affiliations.values_list(
            "organization", "title", "is_primary", "start_date", "end_date"
        )
    ) == [
        (county.pk, "Nurse", True, dt.date(2023, 5, 1), None),
        (clinic.pk, "Volunteer", False, dt.date(2020, 1, 1), dt.date(2022, 12, 31)),
    ]
    run.refresh_from_db()
    assert (run.created_count, run.skipped_count) == (2, 0)
    assert list(run.items.values_list("row_number", "contact__name")) == [
        (2, "Ana Ruiz"),
        (3, "Ana Ruiz"),
        (4, "Bo Li"),
    ]


def test_a_persons_rows_must_agree_and_their_roles_must_make_sense(manager_client):
    OrganizationFactory(name="County Health")
    header = ["Name", "Email", "Phone", "Organization", "Title", "Primary", "From", "To"]
    rows = [
        header,
        ["Ana Ruiz", "ana@example.org", "555-0101", "County Health", "Nurse", "yes", "", ""],
        ["Ana Ruiz", "ana@example.org", "555-0199", "", "", "", "", ""],
        ["Ana Ruiz", "ana@example.org", "555-0101", "County Health", "Lead", "", "", ""],
        ["Bo Li", "bo@example.org", "", "County Health", "", "yes", "", ""],
        ["Cy Ng", "cy@example.org", "", "County Health", "", "", "2024-06-01", "2024-01-01"],
        ["Di Ho", "di@example.org", "", "County Health", "", "", "", "2999-01-01"],
        ["Ed Wu", "ed@example.org", "", "", "Director", "yes", "2024-01-01", ""],
    ]
    assert errors_of(manager_client, rows, kind="contacts") == [
        (
            3,
            "Email",
            "Row 2 has the same email with another phone: one person has the same details on "
            "each of their rows.",
        ),
        (4, "Organization", "Row 2 already has this person at County Health."),
        (
            5,
            "Primary",
            "Row 2 already makes its person the primary contact at County Health: an "
            "organization has one.",
        ),
        (6, "To", "The role cannot end before it starts (2024-06-01)."),
        (
            7,
            "To",
            "2999-01-01 is in the future: a role ends on or before today (leave the cell empty "
            "while it goes on).",
        ),
        (8, "Title", "A title needs an organization: add the organization column."),
        (8, "Primary", "A primary contact needs an organization: add the organization column."),
        (8, "From", "A start date needs an organization: add the organization column."),
    ]


def test_a_new_primary_contact_replaces_the_organizations_current_one(manager_client):
    county = OrganizationFactory(name="County Health")
    before = AffiliationFactory(organization=county, is_primary=True)
    rows = [
        ["Name", "Email", "Organization", "Primary contact"],
        ["Ana", "a@example.org", "County Health", "yes"],
    ]
    confirm(manager_client, upload_run(manager_client, csv_bytes(rows), kind="contacts"))
    before.refresh_from_db()
    assert not before.is_primary
    assert Affiliation.objects.get(organization=county, is_primary=True).contact.name == "Ana"


def test_an_import_opts_people_out_and_never_takes_an_opt_out_or_do_not_contact_back(
    manager_client, manager
):
    careful = ContactFactory(
        email="careful@example.org",
        do_not_contact=True,
        opted_out_of_updates=True,
        opted_out_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    willing = ContactFactory(email="willing@example.org")
    rows = [
        ["Name", "Email", "Do not contact", "Opted out of updates"],
        ["Careful Person", "careful@example.org", "No", "No"],
        ["Willing Person", "willing@example.org", "No", "Yes"],
    ]
    confirm(
        manager_client, upload_run(manager_client, csv_bytes(rows), kind="contacts"), update=True
    )

    careful.refresh_from_db()
    assert (careful.do_not_contact, careful.opted_out_of_updates) == (True, True)
    assert careful.opted_out_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    willing.refresh_from_db()
    assert willing.opted_out_of_updates and willing.opted_out_at is not None
    change = OptOutChange.objects.get()
    assert (change.contact, change.source, change.changed_by, change.reason) == (
        willing,
        "import",
        manager,
        "Imported from partners.csv.",
    )


def test_undo_removes_a_contact_the_import_opted_out(manager_client):
    rows = [["Name", "Email", "Opted out of updates"], ["Nora", "nora@example.org", "yes"]]
    run = upload_run(manager_client, csv_bytes(rows), kind="contacts")
    confirm(manager_client, run)
    assert OptOutChange.objects.count() == 1

    manager_client.post(reverse("transfer:import_undo", args=[run.pk]))

    assert Contact.objects.count() == 0 and OptOutChange.objects.count() == 0


def test_text_defused_by_an_export_is_read_back_but_a_formula_stays_an_error(manager_client):
    rows = [
        ["Name", "Phone", "Mission and priorities"],
        ["Riverside Literacy Council", "'+1 (555) 010-2030", "'- Reading for all"],
        ["Trouble", "", '\'=HYPERLINK("http://evil.example")'],
    ]
    errors = errors_of(manager_client, rows)
    assert [(number, column) for number, column, _ in errors] == [(3, "Mission and priorities")]
    assert "would run as a formula" in errors[0][2]
    confirm(manager_client, upload_run(manager_client, csv_bytes(rows[:2])))
    council = Organization.objects.get()
    assert (council.phone, council.mission) == ("+1 (555) 010-2030", "- Reading for all")
