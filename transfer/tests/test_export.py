"""Exports of the four lists as CSV and Excel: the list's rows under its filters, for managers."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from core.tests.downloads import read_csv
from outreach.models import FollowUp
from outreach.tests.factories import TouchpointFactory
from partners.models import FocusArea
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory
from programs.tests.factories import ProgramFactory, ProgramPartnerFactory, ProgramSessionFactory

pytestmark = pytest.mark.django_db

# (list page, export)
LISTS = {
    "organizations": ("partners:organization_list", "transfer:organization_export"),
    "contacts": ("partners:contact_list", "transfer:contact_export"),
    "touchpoints": ("outreach:touchpoint_list", "transfer:touchpoint_export"),
    "programs": ("programs:program_list", "transfer:program_export"),
}
FORMATS = ["csv", "xlsx"]


def export_url(what: str) -> str:
    return reverse(LISTS[what][1])


def list_url(what: str) -> str:
    return reverse(LISTS[what][0])


def read_xlsx(response) -> list[list]:
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    (sheet,) = workbook.worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_csv_text(value) -> str:
    """An Excel cell's value as the CSV spells it, to compare the two files."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def same_cell(csv_text: str, xlsx_value) -> bool:
    if isinstance(xlsx_value, int | float) and csv_text:
        # Excel keeps numbers as numbers: "1500.00" in the CSV is 1500 in the sheet.
        return Decimal(csv_text) == Decimal(str(xlsx_value))
    return csv_text == as_csv_text(xlsx_value)


def export(client, what: str, params: dict | None = None, fmt: str = "csv") -> list[list]:
    response = client.get(export_url(what), {**(params or {}), "format": fmt})
    assert response.status_code == 200
    return read_csv(response) if fmt == "csv" else read_xlsx(response)


def as_dicts(rows: list[list]) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def world(librarian, manager):
    """A handful of partners, people, touchpoints and programs, one of each kind of oddity."""
    health, literacy = FocusArea.objects.order_by("name")[:2]
    county = OrganizationFactory(
        name="Riverside County Health Department",
        kind="government",
        government_level="county",
        stage="active",
        owner=manager,
        website="https://health.riverside.example.gov",
        email="info@health.riverside.example.gov",
        phone="555-0100",
        address="1 Main St\nRiverside",
        mission="Healthy people",
    )
    county.focus_areas.set([health, literacy])
    clinic = OrganizationFactory(name="Eastside Community Clinic", kind="health", stage="contacted")
    school = OrganizationFactory(name="Oak Valley Unified School District", kind="school")
    archived = OrganizationFactory(
        name="Old Friends Society", is_archived=True, archived_at=timezone.now()
    )
    evil = OrganizationFactory(name="=HYPERLINK(evil)", kind="other")

    ana = AffiliationFactory(
        organization=county,
        contact=ContactFactory(name="Ana Ruiz", email="ana@example.org", phone="555-0101"),
        title="Outreach coordinator",
        is_primary=True,
        start_date=dt.date(2023, 5, 1),
    ).contact
    AffiliationFactory(
        organization=clinic,
        contact=ana,
        title="Volunteer",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 12, 31),
    )
    ben = AffiliationFactory(
        organization=school, contact=ContactFactory(name="Ben Ortiz"), title="Principal"
    ).contact
    loner = ContactFactory(
        name="Nora Nobody",
        do_not_contact=True,
        opted_out_of_updates=True,
        opted_out_at=timezone.now(),
    )
    plus = AffiliationFactory(
        organization=evil, contact=ContactFactory(name="+Plus Person")
    ).contact

    TouchpointFactory(
        organization=county,
        staff=librarian,
        occurred_on=dt.date(2025, 3, 3),
        occurred_time=dt.time(9, 30),
        channel="phone",
        subject="Health fair planning",
        contacts=[ana],
        notes="Tables for 20 partners.\nBring flyers.",
    )
    TouchpointFactory(
        organization=clinic,
        staff=manager,
        occurred_on=dt.date(2025, 3, 10),
        channel="email",
        subject="-2 volunteers",
    )
    TouchpointFactory(
        organization=school,
        staff=librarian,
        occurred_on=dt.date(2025, 4, 1),
        channel="in_person",
        subject="Summer reading kickoff",
        contacts=[ben],
    )
    FollowUp.objects.create(
        organization=county, assignee=manager, due_on=dt.date(2025, 5, 1), title="Floor plan"
    )

    fair = ProgramFactory(
        title="Health fair 2026",
        kind="fair",
        status="active",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 31),
        lead=manager,
        budget=Decimal("1500.00"),
        focus_areas=[health],
    )
    ProgramPartnerFactory(program=fair, organization=clinic, role="co_host")
    ProgramPartnerFactory(program=fair, organization=county, role="lead")
    ProgramSessionFactory(program=fair, attendance=40)
    ProgramSessionFactory(program=fair, attendance=25)
    ProgramSessionFactory(program=fair, attendance=None)
    workshops = ProgramFactory(title="@SUM(1) job skills", status="planning", start_date=None)
    ProgramPartnerFactory(program=workshops, organization=school, role="venue")
    ProgramFactory(
        title="Story time 2025",
        status="completed",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 6, 1),
    )
    return {
        "county": county,
        "clinic": clinic,
        "archived": archived,
        "ana": ana,
        "ben": ben,
        "loner": loner,
        "plus": plus,
        "fair": fair,
    }


# --- The same rows as the list ---------------------------------------------------------------


# What tells the rows apart: the attribute on the list, the column in the export.
KEYS = {
    "organizations": ("name", "Name"),
    "contacts": ("email", "Email"),
    "touchpoints": ("subject", "Subject"),
    "programs": ("title", "Title"),
}


def list_keys(client, what: str, params: dict) -> list[str]:
    response = client.get(list_url(what), params)
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.num_pages == 1, "keep the cases on one page"
    return [getattr(o, KEYS[what][0]) for o in page.object_list]


def export_keys(rows: list[list], what: str) -> list[str]:
    keys: list[str] = []
    for row in as_dicts(rows):
        key = row[KEYS[what][1]].removeprefix("'")  # the formula guard's mark
        # A contact has a row per role; the list shows them once.
        if not keys or keys[-1] != key:
            keys.append(key)
    return keys


FILTER_CASES = [
    ("organizations", {}),
    ("organizations", {"kind": "health"}),
    ("organizations", {"q": "county"}),
    ("organizations", {"archived": "archived"}),
    ("organizations", {"archived": "all", "sort": "-name"}),
    ("organizations", {"stage": "active", "kind": "spaceship"}),
    ("contacts", {}),
    ("contacts", {"kind": "government"}),
    ("contacts", {"q": "ortiz"}),
    ("touchpoints", {}),
    ("touchpoints", {"channel": "email"}),
    ("touchpoints", {"kind": "school", "date_from": "2025-01-01"}),
    ("touchpoints", {"q": "fair"}),
    ("programs", {}),
    ("programs", {"status": "active"}),
    ("programs", {"partner": "clinic"}),
    ("programs", {"year": "2025"}),
]


@pytest.mark.parametrize(("what", "params"), FILTER_CASES)
def test_each_export_holds_the_rows_the_list_shows_with_the_same_filters(
    manager_client, world, what, params
):
    expected = list_keys(manager_client, what, params)
    assert expected, "every case matches something"
    for fmt in FORMATS:
        assert export_keys(export(manager_client, what, params, fmt), what) == expected


def test_filters_narrow_the_export(manager_client, world):
    everything = as_dicts(export(manager_client, "organizations", {"archived": "all"}))
    health = as_dicts(export(manager_client, "organizations", {"kind": "health"}))
    assert len(everything) == 5
    assert [row["Name"] for row in health] == ["Eastside Community Clinic"]


def test_the_export_holds_every_page_of_the_list(manager_client, librarian):
    for i in range(30):
        OrganizationFactory(name=f"Partner {i:02}")
    rows = export(manager_client, "organizations", {"page": "1"})
    assert len(rows) == 31


# --- What each file holds --------------------------------------------------------------------


def test_csv_starts_with_a_byte_order_mark_and_a_header_and_is_named_by_the_day(
    manager_client, world
):
    response = manager_client.get(export_url("organizations"))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="organizations-{today}.csv"'
    header = read_csv(response)[0]
    assert header[:6] == ["Name", "Kind", "Government level", "Stage", "Stage since", "Owner"]


def test_organization_rows_hold_the_partnership_at_a_glance(manager_client, world):
    (row,) = as_dicts(export(manager_client, "organizations", {"q": "county"}))
    assert row == row | {
        "Name": "Riverside County Health Department",
        "Kind": "Government agency",
        "Government level": "County",
        "Stage": "Active partner",
        "Owner": "Maria Chen",
        "Website": "https://health.riverside.example.gov",
        "Email": "info@health.riverside.example.gov",
        "Phone": "555-0100",
        "Address": "1 Main St\nRiverside",
        "Last touchpoint": "2025-03-03",
        "Next follow-up": "2025-05-01",
        "Archived": "No",
        "Mission and priorities": "Healthy people",
    }
    assert row["Focus areas"] == "; ".join(a.name for a in world["county"].focus_areas.all())


def test_contacts_have_a_row_per_role_and_one_row_without_any(manager_client, world):
    rows = as_dicts(export(manager_client, "contacts"))
    ana = [row for row in rows if row["Name"] == "Ana Ruiz"]
    # The current role first, then the past one with its dates.
    assert [(r["Organization"], r["Title or role"], r["From"], r["To"]) for r in ana] == [
        ("Riverside County Health Department", "Outreach coordinator", "2023-05-01", ""),
        ("Eastside Community Clinic", "Volunteer", "2020-01-01", "2022-12-31"),
    ]
    assert ana[0]["Primary contact"] == "Yes" and ana[1]["Primary contact"] == "No"
    (nora,) = [row for row in rows if row["Name"] == "Nora Nobody"]
    assert nora["Organization"] == "" and nora["From"] == ""
    assert nora["Do not contact"] == "Yes" and nora["Opted out of updates"] == "Yes"


def test_program_rows_have_partners_with_roles_sessions_and_attendance(manager_client, world):
    (row,) = as_dicts(export(manager_client, "programs", {"status": "active"}))
    assert row == row | {
        "Title": "Health fair 2026",
        "Kind": "Health or information fair",
        "Status": "Active",
        "Start date": "2026-03-01",
        "End date": "2026-03-31",
        "Lead": "Maria Chen",
        # In the order of the roles' importance: the lead partner first.
        "Partners": (
            "Riverside County Health Department (Lead); Eastside Community Clinic (Co-host)"
        ),
        "Sessions": "3",
        "Attendance": "65",
        "Budget": "1500.00",
    }
    (planned,) = as_dicts(export(manager_client, "programs", {"status": "planning"}))
    assert planned["Sessions"] == "0" and planned["Attendance"] == ""


@pytest.mark.parametrize(
    ("what", "column", "value"),
    [
        ("organizations", "Name", "'=HYPERLINK(evil)"),
        ("contacts", "Name", "'+Plus Person"),
        ("contacts", "Organization", "'=HYPERLINK(evil)"),
        ("touchpoints", "Subject", "'-2 volunteers"),
        ("programs", "Title", "'@SUM(1) job skills"),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(
    manager_client, world, what, column, value, fmt
):
    rows = as_dicts(export(manager_client, what, fmt=fmt))
    assert value in [row[column] for row in rows]


def test_excel_cells_are_never_formulas(manager_client, world):
    response = manager_client.get(export_url("organizations"), {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)


@pytest.mark.parametrize("what", LISTS)
def test_the_excel_file_opens_and_holds_the_same_rows_as_the_csv(manager_client, world, what):
    params = {"archived": "all"} if what == "organizations" else {}
    response = manager_client.get(export_url(what), {**params, "format": "xlsx"})
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{what}-{today}.xlsx"'
    sheet = read_xlsx(response)
    rows = export(manager_client, what, params)
    assert len(sheet) == len(rows) > 1
    assert sheet[0] == rows[0]
    for csv_row, xlsx_row in zip(rows, sheet, strict=True):
        assert len(csv_row) == len(xlsx_row)
        assert all(same_cell(c, x) for c, x in zip(csv_row, xlsx_row, strict=True)), (
            csv_row,
            xlsx_row,
        )


def test_excel_keeps_dates_times_and_numbers_typed(manager_client, world):
    (touchpoint,) = as_dicts(export(manager_client, "touchpoints", {"q": "fair"}, "xlsx"))
    assert touchpoint["Date"] == dt.datetime(2025, 3, 3)
    assert touchpoint["Time"] == dt.time(9, 30)
    (program,) = as_dicts(export(manager_client, "programs", {"status": "active"}, "xlsx"))
    assert program["Attendance"] == 65 and program["Budget"] == 1500


def test_control_characters_excel_refuses_are_dropped_from_the_excel_file_only(
    manager_client, librarian
):
    TouchpointFactory(staff=librarian, subject="Bell\x07 rang", notes="#N/A")
    (csv_row,) = as_dicts(export(manager_client, "touchpoints"))
    (xlsx_row,) = as_dicts(export(manager_client, "touchpoints", fmt="xlsx"))
    assert csv_row["Subject"] == "Bell\x07 rang" and xlsx_row["Subject"] == "Bell rang"
    # Text that looks like one of Excel's error values stays text.
    assert xlsx_row["Notes"] == "#N/A"


# --- Streaming --------------------------------------------------------------------------------


@pytest.mark.parametrize("what", LISTS)
def test_csv_is_streamed_and_excel_is_sent_from_a_file(manager_client, world, what):
    response = manager_client.get(export_url(what))
    assert isinstance(response, StreamingHttpResponse)
    response.getvalue()
    response = manager_client.get(export_url(what), {"format": "xlsx"})
    assert isinstance(response, FileResponse)
    assert int(response["Content-Length"]) > 0
    response.close()


# --- Who may export ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("what", LISTS)
def test_librarians_cannot_export(librarian_client, world, what, fmt):
    assert librarian_client.get(export_url(what), {"format": fmt}).status_code == 403


@pytest.mark.parametrize("what", LISTS)
def test_admins_can_export(client, admin_user, world, what):
    client.force_login(admin_user)
    assert client.get(export_url(what), {"format": "xlsx"}).status_code == 200


@pytest.mark.parametrize("what", LISTS)
def test_export_links_are_shown_to_managers_only(client, librarian, manager, world, what):
    client.force_login(librarian)
    html = client.get(list_url(what)).content.decode()
    assert "Export these" not in html and export_url(what) not in html
    client.force_login(manager)
    html = client.get(list_url(what)).content.decode()
    assert "Export these:" in html
    assert f'href="{export_url(what)}?format=csv"' in html
    assert f'href="{export_url(what)}?format=xlsx"' in html


@pytest.mark.parametrize(
    ("what", "search"),
    [
        ("organizations", "county"),
        ("contacts", "ana"),
        ("touchpoints", "fair"),
        ("programs", "fair"),
    ],
)
def test_export_links_carry_the_filters_but_not_the_page(manager_client, world, what, search):
    params = {"q": search, "page": "1"}
    for headers in ({}, {"HX-Request": "true", "HX-Target": "results"}):
        html = manager_client.get(list_url(what), params, headers=headers).content.decode()
        assert f'href="{export_url(what)}?format=csv&amp;q={search}"' in html
        assert f'href="{export_url(what)}?format=xlsx&amp;q={search}"' in html


def test_export_links_are_hidden_when_nothing_matches(manager_client, world):
    html = manager_client.get(list_url("programs"), {"q": "nothing like this"}).content.decode()
    assert "Export these" not in html


@pytest.mark.parametrize("what", LISTS)
def test_exports_shrug_off_hostile_filters(manager_client, world, what):
    hostile = {
        "q": "'; DROP TABLE x; --" + "a" * 300,
        "kind": "spaceship",
        "stage": "nope",
        "status": "nope",
        "owner": "-5",
        "staff": "x",
        "focus_area": "1.5",
        "year": "99999999999999999999",
        "date_from": "2025-13-45",
        "sort": "../../etc/passwd",
        "archived": "maybe",
        "format": "pdf",
    }
    # An unknown format is ignored like any invalid filter: the CSV.
    rows = read_csv(manager_client.get(export_url(what), hostile))
    assert rows[0]


# --- Query counts ------------------------------------------------------------------------------

# Session, user, time-zone profile and the manager's roles (4 queries), then the rows and one
# query per prefetched relation, per chunk of 2,000 rows: organizations' focus areas, contacts'
# roles (with their organizations), touchpoints' contacts, programs' focus areas and partners.
MAX_QUERIES = {"organizations": 6, "contacts": 6, "touchpoints": 6, "programs": 7}


def make_rows(n: int, staff) -> None:
    areas = list(FocusArea.objects.all()[:2])
    for i in range(n):
        organization = OrganizationFactory(name=f"Partner {i:03}", owner=staff)
        organization.focus_areas.set(areas)
        contact = AffiliationFactory(organization=organization, title="Coordinator").contact
        AffiliationFactory(
            organization=OrganizationFactory(name=f"Former {i:03}"),
            contact=contact,
            end_date=dt.date(2024, 1, 1),
        )
        TouchpointFactory(organization=organization, staff=staff, contacts=[contact])
        program = ProgramFactory(title=f"Program {i:03}", lead=staff, focus_areas=areas)
        ProgramPartnerFactory(program=program, organization=organization)
        ProgramSessionFactory(program=program)


@pytest.mark.parametrize("rows", [5, 200])
def test_export_queries_do_not_grow_with_the_rows(
    manager_client, librarian, rows, django_assert_max_num_queries
):
    make_rows(rows, librarian)
    # Each partner has a former one; each contact a current and a past role.
    expected = {
        "organizations": rows * 2,
        "contacts": rows * 2,
        "touchpoints": rows,
        "programs": rows,
    }
    for what, limit in MAX_QUERIES.items():
        for fmt in FORMATS:
            with django_assert_max_num_queries(limit):
                body = export(manager_client, what, fmt=fmt)
            assert len(body) - 1 == expected[what], (what, fmt)
