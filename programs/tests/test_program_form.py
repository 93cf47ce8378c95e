"""Joint programs: the form with partners and sessions inline, creating and editing, and the
service behind it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.tests.clock import NOW, frozen_clock
from core.tests.forms import posted_form
from outreach.tests.factories import MeetingFactory
from partners.models import FocusArea
from partners.tests.factories import OrganizationFactory
from programs.models import Grant, Program, ProgramPartner, ProgramSession
from programs.services import programs as services
from programs.tests.factories import ProgramFactory, ProgramPartnerFactory, ProgramSessionFactory
from programs.tests.helpers import PROGRAM_CREATE

pytestmark = pytest.mark.django_db

UTC = dt.UTC

clock = frozen_clock()


def edit_url(program) -> str:
    return reverse("programs:program_edit", args=[program.pk])


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """A formset's POST data: the management form and each row's fields."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


def program_data(partners=(), sessions=(), **fields) -> dict:
    return {
        "title": "Job skills workshops",
        "kind": "workshop",
        "status": "planning",
        "start_date": "2026-09-01",
        "end_date": "2026-12-15",
        "description": "Résumés and interviews",
        "goals": "Fifty people ready to apply",
        "audience": "Job seekers",
        "library_resources": "Computer lab, two librarians",
        **fields,
        **formset("partners", list(partners)),
        **formset("sessions", list(sessions)),
    }


def session_row(day: str = "2026-10-06", time: str = "18:00", **fields) -> dict:
    return {"date": day, "time": time, "location": "Main Library", "attendance": "", **fields}


def page_data(response) -> dict:
    """The POST data of the program form exactly as the page shows it, to change and send."""
    context = response.context
    data: dict = {}
    forms = [context["form"]]
    for name in ("partners", "sessions"):
        formset_ = context[name]
        management = formset_.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms.extend(formset_.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(v) for v in value]
            else:
                value = str(value)
            data[field.html_name] = value
    return data


# Creating and editing


def test_a_program_is_created_with_partners_and_sessions_in_one_post(
    librarian_client, librarian, county, clinic
):
    health = FocusArea.objects.get(name="Health literacy")
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(
            lead=librarian.pk,
            focus_areas=[health.pk],
            budget="1500.00",
            partners=[
                {"organization": county.name, "role": "lead", "contribution": "Nurses"},
                # Case, spacing and punctuation do not matter.
                {"organization": "eastside  community clinic.", "role": "venue"},
            ],
            sessions=[
                session_row("2026-10-06", "18:00", attendance="12"),
                session_row("2026-10-13", "18:30", notes="Mock interviews"),
            ],
        ),
        follow=True,
    )
    program = Program.objects.get()
    assert response.redirect_chain[-1][0] == program.get_absolute_url()
    assert "“Job skills workshops” was created." in response.content.decode()
    assert program.lead == librarian
    assert program.budget == Decimal("1500.00")
    assert list(program.focus_areas.all()) == [health]
    assert {(p.organization, p.role, p.contribution) for p in program.program_partners.all()} == {
        (county, "lead", "Nurses"),
        (clinic, "venue", ""),
    }
    sessions = list(program.sessions.order_by("starts_at"))
    # Typed in New York time (UTC-4 until November 1).
    assert [s.starts_at for s in sessions] == [
        dt.datetime(2026, 10, 6, 22, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 13, 22, 30, tzinfo=UTC),
    ]
    assert [s.attendance for s in sessions] == [12, None]
    assert sessions[1].notes == "Mock interviews"


def test_the_form_has_no_blank_rows_but_adds_them_on_request_and_no_list_of_organizations(
    librarian_client, librarian, county
):
    response = librarian_client.get(PROGRAM_CREATE)
    assert response.status_code == 200
    assert len(response.context["partners"].forms) == 0
    assert len(response.context["sessions"].forms) == 0
    assert response.context["form"]["lead"].value() == librarian.pk
    html = response.content.decode()
    # Each "Add" copies its formset's empty row (static/js/formset_rows.js), or without
    # JavaScript sends the form back for one more.
    assert '<template id="partners-empty-row">' in html
    assert 'name="partners-__prefix__-organization"' in html
    assert 'for="id_partners-__prefix__-organization"' in html
    assert 'name="sessions-__prefix__-date"' in html and 'type="time"' in html
    assert (
        '<button type="submit" name="add_row" value="partners" '
        'class="btn btn-outline-secondary btn-sm" data-add-row="partners">Add a partner</button>'
    ) in html
    assert 'value="sessions" class="btn btn-outline-secondary btn-sm" data-add-row="sessions">' in (
        html
    )
    # Enter in a box saves: the first submit button of the form is the hidden "Create program".
    form = html[html.index('id="program-form"') :]
    assert form.index("<button") == form.index('<button type="submit" hidden>Create program')
    # Partners are typed: no <option> for each organization.
    assert county.name not in html


def test_empty_rows_are_ignored(librarian_client):
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(
            partners=[{"organization": "", "role": "co_host", "contribution": ""}] * 2,
            sessions=[{"date": "", "time": "", "location": "", "attendance": ""}] * 2,
        ),
    )
    assert response.status_code == 302
    program = Program.objects.get()
    assert not program.program_partners.exists()
    assert not program.sessions.exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"date": "2026-02-30"}, "date", "Enter a valid date."),
        ({"date": "0001-01-01"}, "date", "Pick a day between 1990 and 2100."),
        ({"time": "25:00"}, "time", "Enter a valid time."),
        ({"attendance": "-3"}, "attendance", "Ensure this value is greater than or equal to 0."),
        ({"attendance": "many"}, "attendance", "Enter a whole number."),
        ({"meeting": "999999"}, "meeting", "Select a valid choice."),
    ],
)
def test_an_invalid_session_saves_nothing_at_all(librarian_client, county, row, field, message):
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(
            partners=[{"organization": county.name, "role": "lead"}],
            sessions=[session_row(), session_row("2026-10-13", **row)],
        ),
    )
    assert response.status_code == 200
    assert not Program.objects.exists()
    assert not ProgramPartner.objects.exists()
    assert not ProgramSession.objects.exists()
    errors = response.context["sessions"].forms[1].errors[field]
    assert any(e.startswith(message) for e in errors)
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert 'id="id_sessions-1-' + field + '"' in html
    assert "is-invalid" in html


def test_a_time_skipped_by_the_clocks_is_refused(librarian_client):
    # March 14, 2027: New York clocks jump from 2:00 to 3:00.
    response = librarian_client.post(
        PROGRAM_CREATE, program_data(sessions=[session_row("2027-03-14", "02:30")])
    )
    assert response.status_code == 200
    assert response.context["sessions"].forms[0].errors == {
        "time": ["That time does not exist on this day: the clocks change."]
    }
    assert not Program.objects.exists()


def test_an_unknown_partner_is_a_field_error_with_suggestions(librarian_client, county):
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(partners=[{"organization": "Riverside County", "role": "lead"}]),
    )
    assert response.status_code == 200
    assert not Program.objects.exists()
    assert response.context["partners"].forms[0].errors["organization"] == [
        "No organization is called “Riverside County”. Did you mean "
        "“Riverside County Health Department”? Type the full name."
    ]
    response = librarian_client.post(
        PROGRAM_CREATE, program_data(partners=[{"organization": "Nowhere at all", "role": "lead"}])
    )
    assert response.context["partners"].forms[0].errors["organization"] == [
        "No organization is called “Nowhere at all”. Check the spelling, or add the "
        "organization first under Organizations."
    ]


def test_a_name_used_twice_needs_the_number(librarian_client):
    first = OrganizationFactory(name="Literacy Council")
    second = OrganizationFactory(name="Literacy Council")
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(partners=[{"organization": "literacy council", "role": "lead"}]),
    )
    assert response.context["partners"].forms[0].errors["organization"] == [
        "Several organizations are called “literacy council”: type the one you mean with its "
        f"number, “Literacy Council (#{first.pk})” or “Literacy Council (#{second.pk})”."
    ]
    assert not Program.objects.exists()

    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(partners=[{"organization": "Other name (#99999)", "role": "lead"}]),
    )
    assert response.context["partners"].forms[0].errors["organization"] == [
        "There is no organization #99999."
    ]
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(partners=[{"organization": f"Food Bank (#{first.pk})", "role": "lead"}]),
    )
    assert response.context["partners"].forms[0].errors["organization"] == [
        f"#{first.pk} is “Literacy Council”, not “Food Bank”: check the number."
    ]
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(
            partners=[{"organization": f"Literacy Council (#{second.pk})", "role": "lead"}]
        ),
    )
    assert response.status_code == 302
    assert Program.objects.get().partners.get() == second


def test_an_organization_listed_twice_is_an_error_on_the_second_row(librarian_client, county):
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(
            partners=[
                {"organization": county.name, "role": "lead"},
                {"organization": f"#{county.pk}", "role": "funder"},
            ]
        ),
    )
    forms = response.context["partners"].forms
    assert forms[0].errors == {}
    assert forms[1].errors == {"organization": [f"{county.name} is already listed above."]}
    assert not Program.objects.exists()


def test_program_field_errors_show_next_to_the_fields(librarian_client):
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(title="  ", start_date="2026-12-01", end_date="2026-11-01", budget="-5"),
    )
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["end_date"] == ["The program cannot end before it starts."]
    assert errors["budget"] == ["Ensure this value is greater than or equal to 0."]
    assert not Program.objects.exists()


def test_a_program_started_from_an_organization_has_it_as_first_partner(librarian_client, county):
    url = f"{PROGRAM_CREATE}?organization={county.pk}"
    response = librarian_client.get(url)
    assert len(response.context["partners"].forms) == 1  # that one, and no blank row
    assert response.context["partners"].forms[0]["organization"].value() == county.name
    assert f"New program with {county.name}" in response.content.decode()
    # Sent as shown, the prefilled row counts (Django would think it untouched).
    data = page_data(response)
    data.update(title="Health fair 2027", kind="fair")
    response = librarian_client.post(url, data)
    assert response.status_code == 302
    program = Program.objects.get()
    assert list(program.partners.all()) == [county]


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999999999999999999", "1e5"])
def test_a_bad_organization_in_the_link_is_ignored(librarian_client, value):
    response = librarian_client.get(PROGRAM_CREATE, {"organization": value})
    assert response.status_code == 200
    assert response.context["prefill"] is None


def test_editing_changes_removes_and_adds_partners_and_sessions(librarian_client, county, clinic):
    program = ProgramFactory(title="Health fair")
    ProgramPartnerFactory(program=program, organization=county, role="lead")
    ProgramPartnerFactory(program=program, organization=clinic, role="venue")
    kept = ProgramSessionFactory(program=program, attendance=10)
    gone = ProgramSessionFactory(
        program=program, starts_at=dt.datetime(2026, 10, 20, 22, 0, tzinfo=UTC)
    )
    newcomer = OrganizationFactory(name="Westside High School")

    data = page_data(librarian_client.get(edit_url(program)))
    assert data["partners-0-organization"] == county.name  # lead first
    assert data["sessions-0-date"] == "2026-10-06" and data["sessions-0-time"] == "18:00:00"
    assert (data["partners-TOTAL_FORMS"], data["sessions-TOTAL_FORMS"]) == (2, 2)
    data.update(
        {
            # "Add a partner" and "Add a session" pressed once each.
            "partners-TOTAL_FORMS": "3",
            "sessions-TOTAL_FORMS": "3",
            "title": "Health fair 2026",
            "partners-0-contribution": "Flu shots",
            "partners-1-DELETE": "on",
            "partners-2-organization": newcomer.name,
            "partners-2-role": "promoter",
            "sessions-0-attendance": "25",
            "sessions-1-DELETE": "on",
            "sessions-2-date": "2026-11-14",
            "sessions-2-time": "10:00",
            "sessions-2-location": "Westside gym",
        }
    )
    response = librarian_client.post(edit_url(program), data)
    assert response.status_code == 302, response.context["form"].errors
    program.refresh_from_db()
    assert program.title == "Health fair 2026"
    assert {(p.organization, p.role, p.contribution) for p in program.program_partners.all()} == {
        (county, "lead", "Flu shots"),
        (newcomer, "promoter", ""),
    }
    kept.refresh_from_db()
    assert kept.attendance == 25
    assert not ProgramSession.objects.filter(pk=gone.pk).exists()
    added = program.sessions.exclude(pk=kept.pk).get()
    # November 14 is after the clocks went back: UTC-5.
    assert added.starts_at == dt.datetime(2026, 11, 14, 15, 0, tzinfo=UTC)


def test_a_failed_edit_changes_nothing(librarian_client, county):
    program = ProgramFactory(title="Health fair")
    ProgramPartnerFactory(program=program, organization=county, role="lead")
    session = ProgramSessionFactory(program=program, attendance=10)
    data = page_data(librarian_client.get(edit_url(program)))
    data.update(
        {
            "title": "Renamed",
            "partners-0-role": "funder",
            "sessions-0-attendance": "99",
            "sessions-TOTAL_FORMS": "2",
            "sessions-1-date": "2026-11-31",
            "sessions-1-time": "10:00",
        }
    )
    response = librarian_client.post(edit_url(program), data)
    assert response.status_code == 200
    assert "Health fair" in response.context["program"].title
    program.refresh_from_db()
    session.refresh_from_db()
    assert program.title == "Health fair"
    assert program.program_partners.get().role == "lead"
    assert session.attendance == 10
    assert ProgramSession.objects.count() == 1


def test_a_session_is_linked_to_a_meeting_with_a_partner(librarian_client, county, clinic):
    program = ProgramFactory()
    ProgramPartnerFactory(program=program, organization=county)
    planning = MeetingFactory(
        organization=county,
        title="Fair planning",
        starts_at=dt.datetime(2026, 9, 10, 14, 0, tzinfo=UTC),
    )
    MeetingFactory(organization=clinic, title="Other partner's meeting")
    MeetingFactory(
        organization=county,
        title="Long ago",
        starts_at=dt.datetime(2024, 1, 10, 14, 0, tzinfo=UTC),
    )
    response = librarian_client.get(edit_url(program))
    # Offered in each session row "Add a session" adds.
    choices = dict(response.context["sessions"].empty_form.fields["meeting"].choices)
    assert choices == {
        "": "None",
        str(planning.pk): "Sep 10, 2026: Fair planning (" + county.name + ")",
    }
    data = page_data(response)
    data.update(
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-date": "2026-10-06",
            "sessions-0-time": "18:00",
            "sessions-0-meeting": str(planning.pk),
        }
    )
    assert librarian_client.post(edit_url(program), data).status_code == 302
    assert program.sessions.get().meeting == planning


def test_without_javascript_add_a_session_brings_the_form_back_with_one_more_row(
    librarian_client, county
):
    response = librarian_client.get(PROGRAM_CREATE)
    data = posted_form(response, "program-form")
    data.update(title="Tax help nights", add_row="sessions")
    response = librarian_client.post(PROGRAM_CREATE, data)
    assert response.status_code == 200
    assert not Program.objects.exists()  # adding a row saves nothing
    sessions = response.context["sessions"]
    assert len(sessions.forms) == 1
    html = response.content.decode()
    assert 'value="Tax help nights"' in html  # what was typed stays
    assert "Nothing was saved" not in html and "is-invalid" not in html  # no errors yet
    assert 'for="id_sessions-0-date"' in html and "Session date" in html
    # The new row's first box takes the keyboard.
    new_box = re.search(r'<input[^>]*id="id_sessions-0-date"[^>]*>', html)
    assert new_box and "autofocus" in new_box[0]

    # Then a partner; the session typed meanwhile stays.
    data = posted_form(response, "program-form")
    data.update(
        {"sessions-0-date": "2026-12-03", "sessions-0-time": "18:00", "add_row": "partners"}
    )
    response = librarian_client.post(PROGRAM_CREATE, data)
    assert len(response.context["partners"].forms) == 1
    assert response.context["sessions"].forms[0]["date"].value() == "2026-12-03"
    assert "Partner organization" in response.content.decode()

    data = posted_form(response, "program-form")
    data.update({"partners-0-organization": county.name})
    response = librarian_client.post(PROGRAM_CREATE, data)
    assert response.status_code == 302
    program = Program.objects.get()
    assert program.title == "Tax help nights"
    assert list(program.partners.all()) == [county]
    assert program.sessions.get().starts_at == dt.datetime(2026, 12, 3, 23, 0, tzinfo=UTC)


def test_add_a_row_stops_at_the_most_rows_a_form_takes(librarian_client):
    data = program_data(sessions=[session_row()] * 200, add_row="sessions")
    data["sessions-MAX_NUM_FORMS"] = "200"
    response = librarian_client.post(PROGRAM_CREATE, data)
    assert response.status_code == 200
    assert len(response.context["sessions"].forms) == 200
    assert 'data-add-row="sessions"' not in response.content.decode()
    for total in ("-1", "x", ""):
        data = program_data(add_row="partners")
        data["partners-TOTAL_FORMS"] = total
        assert librarian_client.post(PROGRAM_CREATE, data).status_code == 200
    assert not Program.objects.exists()


def test_a_grant_programs_kind_stays_while_it_has_a_grant(librarian_client):
    program = ProgramFactory(kind="grant")
    Grant.objects.create(program=program, funder="State Library")
    data = page_data(librarian_client.get(edit_url(program)))
    data["kind"] = "workshop"
    response = librarian_client.post(edit_url(program), data)
    assert response.context["form"].errors["kind"] == [
        "This program has a grant application, so it stays a joint grant application."
    ]
    program.refresh_from_db()
    assert program.kind == "grant"


def test_user_text_is_escaped(librarian_client, county):
    response = librarian_client.post(
        PROGRAM_CREATE,
        program_data(
            title="<script>alert(1)</script>",
            partners=[{"organization": "<b>Nowhere</b>", "role": "lead"}],
        ),
    )
    html = response.content.decode()
    assert "<b>Nowhere</b>" not in html and "&lt;b&gt;Nowhere&lt;/b&gt;" in html
    program = ProgramFactory(title="<script>alert(1)</script>", description="<img src=x>")
    html = librarian_client.get(program.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x>" not in html


def test_tampered_management_forms_are_errors_not_crashes(librarian_client):
    data = program_data()
    del data["sessions-TOTAL_FORMS"]
    response = librarian_client.post(PROGRAM_CREATE, data)
    assert response.status_code == 200
    assert not Program.objects.exists()
    data = program_data(sessions=[session_row()] * 3)
    data["sessions-TOTAL_FORMS"] = "100000"
    response = librarian_client.post(PROGRAM_CREATE, data)
    assert response.status_code == 200
    assert not Program.objects.exists()


def test_another_programs_session_cannot_be_edited_through_this_one(librarian_client):
    program, other = ProgramFactory(), ProgramFactory()
    foreign = ProgramSessionFactory(program=other, attendance=5)
    for row in (
        {**session_row(attendance="500"), "id": str(foreign.pk)},
        {**session_row(), "id": str(foreign.pk), "DELETE": "on"},
    ):
        data = program_data(sessions=[row])
        data["sessions-INITIAL_FORMS"] = "1"
        librarian_client.post(edit_url(program), data)
        foreign.refresh_from_db()
        assert foreign.attendance == 5 and foreign.program == other


def test_the_partner_box_lists_matches_for_htmx(librarian_client, county):
    OrganizationFactory(name="Riverside Food Bank", is_archived=True, archived_at=NOW)
    response = librarian_client.get(
        PROGRAM_CREATE,
        {"find": "partners-1", "partners-1-organization": "river"},
        headers={"HX-Request": "true", "HX-Target": "partners-1-matches"},
    )
    html = response.content.decode()
    assert f'data-value="{county.name} (#{county.pk})"' in html
    assert 'data-input="id_partners-1-organization"' in html
    assert "Archived" in html
    assert "<form" not in html  # the fragment only
    response = librarian_client.get(
        PROGRAM_CREATE,
        {"find": "evil", "evil-organization": "river"},
        headers={"HX-Request": "true"},
    )
    assert "<form" in response.content.decode()  # not a partner box: the whole page


# Service


def test_the_service_saves_nothing_when_a_partner_is_invalid(county):
    program = Program(title="Seminar", kind="workshop")
    with pytest.raises(ValidationError) as error:
        services.program_save(
            program=program,
            partners=[(county, "lead", ""), (county, "funder", "")],
            sessions=[ProgramSession(starts_at=NOW, attendance=3)],
        )
    assert error.value.message_dict == {
        "partners": [f"{county.name} is listed twice: list each partner once."]
    }
    assert not Program.objects.exists() and program.pk is None


def test_moving_organizations_between_rows_keeps_both(county, clinic):
    program = ProgramFactory()
    ProgramPartnerFactory(program=program, organization=county, role="lead")
    ProgramPartnerFactory(program=program, organization=clinic, role="venue")
    services.program_save(
        program=program,
        partners=[(clinic, "lead", ""), (county, "venue", "")],
        removed_partners=[county, clinic],
    )
    assert {(p.organization, p.role) for p in program.program_partners.all()} == {
        (clinic, "lead"),
        (county, "venue"),
    }
