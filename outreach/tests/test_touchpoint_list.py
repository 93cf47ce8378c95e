import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.tests.downloads import read_csv
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.services import followup_create, touchpoint_update
from outreach.tests.factories import TouchpointFactory
from outreach.tests.helpers import person_at
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("outreach:touchpoint_list")
EXPORT = reverse("transfer:touchpoint_export")
HEADER = [
    "Date",
    "Time",
    "Organization",
    "Organization kind",
    "Channel",
    "Subject",
    "Staff",
    "Contacts",
    "Notes",
    "Outcome",
    "Next step",
    "Other partners",
]

# Session, user and the user's time-zone profile (3 queries) and the role flags of the menu (1),
# then the page's own. List: the count (up to core.http.COUNT_LIMIT rows), the page of rows with
# organization, staff and contacts' names, and the staff choices of the filter form. Detail: the
# touchpoint with organization, staff and meeting, its contacts, its follow-ups with their
# assignees. Export (managers only): no menu but the role check; the rows, their contacts (per
# chunk of 2,000), and the staff filter's lookup when one is given.
MAX_QUERIES = {"touchpoint_list": 4 + 3, "touchpoint_detail": 7, "touchpoint_export": 7}


def subjects(response) -> list[str]:
    return [t.subject for t in response.context["page"].object_list]


@pytest.fixture
def log(librarian, manager):
    county = OrganizationFactory(name="Riverside County Health Department", kind="government")
    clinic = OrganizationFactory(name="Eastside Community Clinic", kind="health")
    schools = OrganizationFactory(name="Oak Valley Unified School District", kind="school")
    ana, ben = person_at(county, "Ana Ruiz"), person_at(county, "Ben Ortiz")
    maria = person_at(clinic, "María Delgado")
    fair = TouchpointFactory(
        organization=county,
        staff=librarian,
        occurred_on=dt.date(2025, 3, 3),
        occurred_time=dt.time(9, 30),
        channel="phone",
        subject="Health fair planning",
        contacts=[ana, ben],
        notes="Tables for 20 partners.\nBring flyers.",
        outcome="They are in",
        next_step="Send the floor plan",
    )
    flyers = TouchpointFactory(
        organization=clinic,
        staff=manager,
        occurred_on=dt.date(2025, 3, 10),
        channel="email",
        subject="Flu clinic flyers",
        contacts=[maria],
    )
    kickoff = TouchpointFactory(
        organization=schools,
        staff=librarian,
        occurred_on=dt.date(2025, 4, 1),
        channel="in_person",
        subject="Summer reading kickoff",
    )
    hostile = TouchpointFactory(
        organization=clinic,
        staff=manager,
        occurred_on=dt.date(2025, 2, 1),
        channel="video",
        subject="=cmd|' /C calc'!A0",
        notes="+SUM(A1:A9)",
        outcome="-2 volunteers",
        next_step="@lunch",
    )
    return {
        "county": county,
        "clinic": clinic,
        "schools": schools,
        "ana": ana,
        "ben": ben,
        "maria": maria,
        "fair": fair,
        "flyers": flyers,
        "kickoff": kickoff,
        "hostile": hostile,
    }


ALL = ["Summer reading kickoff", "Flu clinic flyers", "Health fair planning", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("?channel=email", ["Flu clinic flyers"]),
        ("?kind=health", ["Flu clinic flyers", "=cmd|' /C calc'!A0"]),
        ("?kind=school", ["Summer reading kickoff"]),
        (
            "?date_from=2025-03-01&date_to=2025-03-31",
            ["Flu clinic flyers", "Health fair planning"],
        ),
        ("?date_from=2025-03-10", ["Summer reading kickoff", "Flu clinic flyers"]),
        ("?date_to=2025-03-03", ["Health fair planning", "=cmd|' /C calc'!A0"]),
        ("?q=flyers", ["Flu clinic flyers"]),  # by subject
        ("?q=oak+valley", ["Summer reading kickoff"]),  # by organization name
        ("?q=EASTSIDE", ["Flu clinic flyers", "=cmd|' /C calc'!A0"]),
        ("?q=health", ["Health fair planning"]),  # subject and organization name both match
        ("?q=nothing+like+this", []),
        ("?kind=health&channel=video", ["=cmd|' /C calc'!A0"]),
    ],
)
def test_touchpoint_list_filters_narrow_the_rows(librarian_client, log, query, expected):
    response = librarian_client.get(LIST + query)
    assert response.status_code == 200
    assert subjects(response) == expected


def test_touchpoint_list_filters_by_staff_member(librarian_client, log, librarian, manager):
    assert subjects(librarian_client.get(LIST, {"staff": librarian.pk})) == [
        "Summer reading kickoff",
        "Health fair planning",
    ]
    assert subjects(librarian_client.get(LIST, {"staff": manager.pk, "channel": "email"})) == [
        "Flu clinic flyers"
    ]


def test_same_day_touchpoints_list_the_latest_logged_first(librarian_client, librarian):
    day = dt.date(2025, 5, 5)
    for subject in ("First call", "Second call", "Third call"):
        TouchpointFactory(staff=librarian, occurred_on=day, subject=subject)
    assert subjects(librarian_client.get(LIST)) == ["Third call", "Second call", "First call"]


def test_touchpoint_list_shows_the_columns(librarian_client, log):
    html = librarian_client.get(LIST).content.decode()
    fair = log["fair"]
    assert "Mar 3, 2025" in html and "9:30 AM" in html
    assert "Phone call" in html
    assert f'href="{log["county"].get_absolute_url()}"' in html
    assert f'href="{reverse("outreach:touchpoint_detail", args=[fair.pk])}"' in html
    assert "Alice Reyes" in html
    assert "Ana Ruiz, Ben Ortiz" in html


def test_to_date_before_from_date_is_ignored_with_a_message(librarian_client, log):
    response = librarian_client.get(LIST, {"date_from": "2025-03-05", "date_to": "2025-03-01"})
    assert response.status_code == 200
    assert subjects(response) == ["Summer reading kickoff", "Flu clinic flyers"]
    assert "“To” date is before the “From” date" in response.content.decode()


def test_touchpoint_list_is_paginated_25_a_page(librarian_client, librarian):
    for i in range(30):
        TouchpointFactory(staff=librarian, subject=f"Call {i:02}")
    first = librarian_client.get(LIST)
    second = librarian_client.get(LIST, {"page": 2})
    assert len(subjects(first)) == 25 and len(subjects(second)) == 5
    assert set(subjects(first)).isdisjoint(subjects(second))


def test_htmx_filter_returns_only_the_results_fragment(manager_client, log):
    response = manager_client.get(
        LIST + "?channel=email", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = response.content.decode()
    assert '<nav class="navbar' not in html and "<form" not in html
    assert "Flu clinic flyers" in html and "Summer reading kickoff" not in html
    # The export links follow the filters as they change.
    assert f'href="{EXPORT}?format=csv&amp;channel=email"' in html


def test_export_links_carry_the_current_filters_but_not_the_page(manager_client, log):
    html = manager_client.get(LIST + "?kind=health&q=clinic&page=1").content.decode()
    assert f'href="{EXPORT}?format=csv&amp;kind=health&amp;q=clinic"' in html
    assert f'href="{EXPORT}?format=xlsx&amp;kind=health&amp;q=clinic"' in html
    assert "Export these:" in html


def test_librarians_see_no_export_link_and_cannot_export(librarian_client, log):
    assert "Export these" not in librarian_client.get(LIST).content.decode()
    assert librarian_client.get(EXPORT).status_code == 403


def test_touchpoint_subjects_and_names_are_escaped(librarian_client, librarian):
    organization = OrganizationFactory(name="<b>Bold</b> Org")
    touchpoint = TouchpointFactory(
        organization=organization, staff=librarian, subject="<script>alert(1)</script>"
    )
    for url in (LIST, reverse("outreach:touchpoint_detail", args=[touchpoint.pk])):
        html = librarian_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>Bold</b>" not in html


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=999",
        "?page=-1",
        "?staff=x",
        "?staff=99999",
        "?channel=fax",
        "?kind=spaceship",
        "?date_from=2025-13-45",
        "?date_from=99999-01-01",
        "?date_to=yesterday",
        "?date_from=0001-01-01&date_to=9999-12-31",
        "?date_from=2025-05-01&date_to=2025-01-01",
        "?q=%27%3B+DROP+TABLE",
        "?q=%26%7C%21%3A*()",
        "?q=" + "a" * 5000,
        "?q=" + "word+" * 500,
    ],
)
def test_touchpoint_pages_shrug_off_hostile_query_strings(manager_client, log, query):
    assert manager_client.get(LIST + query).status_code == 200
    response = manager_client.get(EXPORT + query)
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_a_nul_character_is_a_bad_request_not_a_server_error(librarian_client, log):
    # core.middleware.RejectNulCharactersMiddleware answers before the view runs.
    assert librarian_client.get(LIST + "?q=%00").status_code == 400
    assert librarian_client.get(EXPORT + "?q=%00").status_code == 400


# --- CSV export ---------------------------------------------------------------------------


def test_export_holds_exactly_the_filtered_rows(manager_client, log):
    response = manager_client.get(EXPORT, {"kind": "health"})
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="touchpoints-{today}.csv"'
    header, *rows = read_csv(response)
    assert header == HEADER
    assert [row[5] for row in rows] == ["Flu clinic flyers", "'=cmd|' /C calc'!A0"]
    assert rows[0] == [
        "2025-03-10",
        "",
        "Eastside Community Clinic",
        "Health organization",
        "Email",
        "Flu clinic flyers",
        "Maria Chen",
        "María Delgado",
        "",
        "",
        "",
        "",
    ]


def test_export_row_has_every_column_and_semicolon_separated_contacts(manager_client, log):
    header, *rows = read_csv(manager_client.get(EXPORT, {"q": "fair"}))
    assert [dict(zip(header, row, strict=True)) for row in rows] == [
        {
            "Date": "2025-03-03",
            "Time": "09:30",
            "Organization": "Riverside County Health Department",
            "Organization kind": "Government agency",
            "Channel": "Phone call",
            "Subject": "Health fair planning",
            "Staff": "Alice Reyes",
            "Contacts": "Ana Ruiz; Ben Ortiz",
            "Notes": "Tables for 20 partners.\nBring flyers.",
            "Outcome": "They are in",
            "Next step": "Send the floor plan",
            "Other partners": "",
        }
    ]


def test_export_defuses_spreadsheet_formulas(manager_client, log):
    header, *rows = read_csv(manager_client.get(EXPORT, {"channel": "video"}))
    row = dict(zip(header, rows[0], strict=True))
    assert row["Subject"] == "'=cmd|' /C calc'!A0"
    assert row["Notes"] == "'+SUM(A1:A9)"
    assert row["Outcome"] == "'-2 volunteers"
    assert row["Next step"] == "'@lunch"


def test_export_defuses_formulas_in_names_too(manager_client, librarian):
    organization = OrganizationFactory(name="=HYPERLINK(evil)")
    contact = person_at(organization, "\tTabbed Name")
    TouchpointFactory(organization=organization, staff=librarian, contacts=[contact])
    header, *rows = read_csv(manager_client.get(EXPORT))
    row = dict(zip(header, rows[0], strict=True))
    assert row["Organization"] == "'=HYPERLINK(evil)"
    assert row["Contacts"] == "'\tTabbed Name"


def test_export_holds_every_page_not_just_the_first(manager_client, librarian):
    for i in range(30):
        TouchpointFactory(staff=librarian, subject=f"Call {i:02}", channel="phone")
    TouchpointFactory(staff=librarian, subject="An email", channel="email")
    header, *rows = read_csv(manager_client.get(EXPORT, {"channel": "phone", "page": 1}))
    assert len(rows) == 30
    assert sorted(row[5] for row in rows) == [f"Call {i:02}" for i in range(30)]


def test_export_with_no_matching_rows_is_just_the_header(manager_client, log):
    assert read_csv(manager_client.get(EXPORT, {"q": "nothing like this"})) == [HEADER]


# --- Detail --------------------------------------------------------------------------------


def test_touchpoint_detail_shows_contacts_followups_and_meeting(librarian_client, log, librarian):
    fair = log["fair"]
    start = timezone.now() - dt.timedelta(days=3)
    meeting = Meeting.objects.create(
        organization=log["county"],
        title="Fair planning meeting",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        status=Meeting.Status.HELD,
    )
    fair.meeting = meeting
    fair.save()
    followup_create(
        organization=log["county"],
        assignee=librarian,
        created_by=librarian,
        due_on=dt.date(2025, 3, 17),
        title="Send the floor plan",
        touchpoint=fair,
    )
    html = librarian_client.get(reverse("outreach:touchpoint_detail", args=[fair.pk])).content
    html = html.decode()
    assert "Health fair planning" in html
    assert f'href="{log["ana"].get_absolute_url()}"' in html
    assert f'href="{log["ben"].get_absolute_url()}"' in html
    assert "Send the floor plan" in html and "Open" in html
    assert f'href="{reverse("outreach:meeting_detail", args=[meeting.pk])}"' in html
    assert f'href="{reverse("outreach:touchpoint_edit", args=[fair.pk])}"' in html
    assert f'href="{log["county"].get_absolute_url()}"' in html  # breadcrumb


def test_unknown_touchpoint_is_404(librarian_client):
    assert (
        librarian_client.get(reverse("outreach:touchpoint_detail", args=[999])).status_code == 404
    )
    assert librarian_client.get(reverse("outreach:touchpoint_edit", args=[999])).status_code == 404


# --- Edit ----------------------------------------------------------------------------------


def edit_data(touchpoint: Touchpoint, **overrides) -> dict:
    data = {
        "occurred_on": touchpoint.occurred_on.isoformat(),
        "occurred_time": "",
        "channel": touchpoint.channel,
        "subject": touchpoint.subject,
        "contacts": [c.pk for c in touchpoint.contacts.all()],
        "notes": touchpoint.notes,
        "outcome": touchpoint.outcome,
        "next_step": touchpoint.next_step,
    }
    data.update(overrides)
    return data


def test_edit_corrects_the_touchpoint(librarian_client, log):
    fair = log["fair"]
    url = reverse("outreach:touchpoint_edit", args=[fair.pk])
    form_page = librarian_client.get(url)
    assert form_page.status_code == 200
    assert "follow_up" not in form_page.context["form"].fields
    response = librarian_client.post(
        url,
        edit_data(
            fair,
            subject="  Health fair: final plan ",
            channel="video",
            occurred_time="14:15",
            contacts=[log["ana"].pk],
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("outreach:touchpoint_detail", args=[fair.pk])
    assert "The touchpoint was saved." in response.content.decode()
    fair.refresh_from_db()
    assert fair.subject == "Health fair: final plan"
    assert fair.channel == "video" and fair.occurred_time == dt.time(14, 15)
    assert list(fair.contacts.all()) == [log["ana"]]
    assert FollowUp.objects.count() == 0


def test_edit_with_a_contact_of_another_organization_changes_nothing(librarian_client, log):
    fair = log["fair"]
    response = librarian_client.post(
        reverse("outreach:touchpoint_edit", args=[fair.pk]),
        edit_data(fair, subject="Changed", contacts=[log["ana"].pk, log["maria"].pk]),
    )
    assert response.status_code == 200
    contact_errors = str(response.context["form"].errors["contacts"])
    assert "is not a contact of this organization" in contact_errors
    # The page around the form still shows what is stored.
    assert response.context["touchpoint"].subject == "Health fair planning"
    fair.refresh_from_db()
    assert fair.subject == "Health fair planning"
    assert set(fair.contacts.all()) == {log["ana"], log["ben"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"occurred_on": "not a date"}, "occurred_on"),
        ({"channel": "fax"}, "channel"),
        ({"notes": "x" * 10_001}, "notes"),
    ],
)
def test_edit_errors_show_next_to_the_field_and_save_nothing(
    librarian_client, log, overrides, field
):
    fair = log["fair"]
    response = librarian_client.post(
        reverse("outreach:touchpoint_edit", args=[fair.pk]), edit_data(fair, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="invalid-feedback' in response.content.decode()
    fair.refresh_from_db()
    assert fair.subject == "Health fair planning" and fair.occurred_on == dt.date(2025, 3, 3)


def test_touchpoint_update_refuses_people_of_another_organization(log):
    fair = log["fair"]
    with pytest.raises(ValidationError) as error:
        touchpoint_update(touchpoint=fair, contacts=[log["maria"]], subject="Changed")
    assert "María Delgado" in str(error.value.message_dict["contacts"])
    fair.refresh_from_db()
    assert fair.subject == "Health fair planning"
    assert set(fair.contacts.all()) == {log["ana"], log["ben"]}


def test_touchpoint_update_cannot_move_a_touchpoint_to_another_organization(log):
    with pytest.raises(TypeError):
        touchpoint_update(touchpoint=log["fair"], contacts=[], organization=log["clinic"])


# --- Query counts --------------------------------------------------------------------------


def make_touchpoints(n: int, staff) -> None:
    kinds = ["government", "health", "school", "nonprofit"]
    for i in range(n):
        organization = OrganizationFactory(name=f"Partner {i:03}", kind=kinds[i % len(kinds)])
        TouchpointFactory(
            organization=organization,
            staff=staff,
            occurred_on=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            contacts=[person_at(organization, f"Person {i}a"), person_at(organization, "B")],
        )


@pytest.mark.parametrize("rows", [5, 60])
def test_touchpoint_list_queries(
    librarian_client, librarian, has_profile, rows, django_assert_max_num_queries
):
    make_touchpoints(rows, librarian)
    with django_assert_max_num_queries(MAX_QUERIES["touchpoint_list"]):
        response = librarian_client.get(LIST)
    assert len(response.context["page"].object_list) == min(rows, 25)
    filters = {"q": "partner", "staff": librarian.pk, "kind": "health", "date_from": "2025-01-01"}
    with django_assert_max_num_queries(MAX_QUERIES["touchpoint_list"] + 1):  # the staff lookup
        assert librarian_client.get(LIST, filters).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES["touchpoint_list"] - 1):  # no menu
        librarian_client.get(LIST, headers={"HX-Request": "true", "HX-Target": "results"})


@pytest.mark.parametrize("rows", [5, 60])
def test_touchpoint_export_queries(
    manager_client, librarian, has_profile, rows, django_assert_max_num_queries
):
    make_touchpoints(rows, librarian)
    with django_assert_max_num_queries(MAX_QUERIES["touchpoint_export"]):
        response = manager_client.get(EXPORT, {"staff": librarian.pk})
        header, *lines = read_csv(response)
    assert len(lines) == rows


@pytest.mark.parametrize("rows", [5, 60])
def test_touchpoint_detail_queries(
    librarian_client, librarian, has_profile, rows, django_assert_max_num_queries
):
    organization = OrganizationFactory()
    touchpoint = TouchpointFactory(
        organization=organization,
        staff=librarian,
        contacts=[person_at(organization, f"Person {i}") for i in range(rows)],
    )
    for i in range(rows):
        followup_create(
            organization=organization,
            assignee=librarian,
            created_by=librarian,
            due_on=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            title=f"Follow up {i}",
            touchpoint=touchpoint,
        )
    with django_assert_max_num_queries(MAX_QUERIES["touchpoint_detail"]):
        response = librarian_client.get(reverse("outreach:touchpoint_detail", args=[touchpoint.pk]))
    assert response.status_code == 200
    assert len(response.context["touchpoint"].followups.all()) == rows


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ALL[::-1]),
        # email < in_person < phone < video, either way round.
        ("channel", ["Flu clinic flyers", "Summer reading kickoff", *ALL[2:]]),
        ("-channel", [ALL[3], ALL[2], "Summer reading kickoff", "Flu clinic flyers"]),
        # By organization name; a partner's touchpoints newest first.
        ("organization", ["Flu clinic flyers", ALL[3], ALL[0], ALL[2]]),
        ("-subject", ["Summer reading kickoff", "Health fair planning", *ALL[1::2]]),
    ],
)
def test_the_log_sorts_by_its_columns_and_exports_in_that_order(
    manager_client, log, sort, expected
):
    response = manager_client.get(LIST, {"sort": sort})
    assert subjects(response) == expected
    assert "match these filters" not in response.content.decode()  # a sort is no filter
    rows = read_csv(manager_client.get(EXPORT, {"sort": sort}))[1:]
    # (The export defuses the subject a spreadsheet would run as a formula: "'=cmd…".)
    assert [row[HEADER.index("Subject")].removeprefix("'") for row in rows] == expected
