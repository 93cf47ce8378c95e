"""Recording a session's attendance from the program's page: the service (history, limits, a
session after today), and the view in place with htmx or as a plain POST."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.tests.clock import frozen_clock
from core.tests.forms import posted_form
from outreach.tests.factories import MeetingFactory
from programs.models import MAX_ATTENDANCE, Program
from programs.services import programs as services
from programs.tests.factories import ProgramFactory, ProgramSessionFactory

pytestmark = pytest.mark.django_db

# Monday, November 2, 2026, 10:00 in New York.
clock = frozen_clock()

# Tuesday, October 6, 2026, 6 pm in New York (the factory's session): before today.
OCT_6 = dt.datetime(2026, 10, 6, 22, 0, tzinfo=dt.UTC)
# Tuesday, December 8, 2026, 6 pm: after today.
DEC_8 = dt.datetime(2026, 12, 8, 23, 0, tzinfo=dt.UTC)
HTMX = {"HX-Request": "true", "HX-Target": "session-{pk}"}


def url(session) -> str:
    return reverse("programs:session_attendance", args=[session.pk])


def htmx(session) -> dict:
    return {key: value.format(pk=session.pk) for key, value in HTMX.items()}


def program_reasons(program: Program) -> list[str]:
    rows = program.history.order_by("-history_date", "-history_id")
    return [row.history_change_reason for row in rows if row.history_change_reason]


@pytest.fixture
def session(librarian):
    program = ProgramFactory(title="Job skills workshops")
    ProgramSessionFactory(program=program, starts_at=OCT_6 + dt.timedelta(days=7), attendance=8)
    return ProgramSessionFactory(program=program, starts_at=OCT_6, attendance=None)


@pytest.fixture
def coming(session):
    return ProgramSessionFactory(program=session.program, starts_at=DEC_8, attendance=None)


# The service


def test_a_head_count_is_saved_and_the_programs_history_says_who_and_what(session, librarian):
    services.session_attendance_record(session=session, attendance=42, by=librarian)
    session.refresh_from_db()
    assert session.attendance == 42
    last = session.program.history.order_by("-history_id").first()
    assert last.history_user == librarian
    assert (
        last.history_change_reason
        == "Attendance at the session on Oct 6, 2026: 42 (was not counted)"
    )

    services.session_attendance_record(session=session, attendance=None, by=librarian)
    session.refresh_from_db()
    assert session.attendance is None
    assert program_reasons(session.program)[0] == (
        "Attendance at the session on Oct 6, 2026: not counted (was 42)"
    )


def test_the_same_count_again_changes_nothing_and_writes_no_history(session, librarian):
    services.session_attendance_record(session=session, attendance=1200, by=librarian)
    rows = session.program.history.count()
    services.session_attendance_record(session=session, attendance=1200, by=librarian)
    assert session.program.history.count() == rows
    assert program_reasons(session.program) == [
        "Attendance at the session on Oct 6, 2026: 1,200 (was not counted)"
    ]


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (-1, "Attendance cannot be below 0."),
        (MAX_ATTENDANCE + 1, "Enter a head count up to 1,000,000: check for a typo."),
    ],
)
def test_an_impossible_count_is_refused_and_nothing_is_written(session, librarian, count, message):
    rows = session.program.history.count()
    with pytest.raises(ValidationError) as error:
        services.session_attendance_record(session=session, attendance=count, by=librarian)
    assert error.value.message_dict == {"attendance": [message]}
    session.refresh_from_db()
    assert session.attendance is None
    assert session.program.history.count() == rows


def test_a_session_after_today_takes_a_count_only_once_confirmed(coming, librarian):
    with pytest.raises(ValidationError) as error:
        services.session_attendance_record(session=coming, attendance=30, by=librarian)
    assert error.value.message_dict == {
        "attendance": ["This session is on Dec 8, after today: is that the right session?"]
    }
    assert error.value.error_dict["attendance"][0].code == services.FUTURE_SESSION
    coming.refresh_from_db()
    assert coming.attendance is None

    services.session_attendance_record(
        session=coming, attendance=30, future_confirmed=True, by=librarian
    )
    coming.refresh_from_db()
    assert coming.attendance == 30
    # Taking a count away needs no confirmation: it is how a wrong row is put right.
    services.session_attendance_record(session=coming, attendance=None, by=librarian)
    coming.refresh_from_db()
    assert coming.attendance is None


def test_todays_session_needs_no_confirmation_even_before_it_starts(session, librarian):
    tonight = ProgramSessionFactory(
        program=session.program, starts_at=dt.datetime(2026, 11, 2, 23, 0, tzinfo=dt.UTC)
    )
    services.session_attendance_record(session=tonight, attendance=12, by=librarian)
    tonight.refresh_from_db()
    assert tonight.attendance == 12


# The view, with htmx


def test_htmx_swaps_the_row_and_the_totals_and_announces_the_count(
    librarian_client, librarian, session
):
    response = librarian_client.post(url(session), {"attendance": "42"}, headers=htmx(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="session-{session.pk}">')
    assert f'id="attendance-{session.pk}"' in html and 'value="42"' in html
    # The reach and the chart, out of band (inside a <template>, parsed as a table's row).
    assert '<p class="mb-2" id="program-reach" hx-swap-oob="true">' in html
    assert "50 people over 2 sessions" in html
    assert '<div id="program-attendance-chart" hx-swap-oob="true">' in html
    assert "Attendance per session: 50 in total." in html
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {
        "attendance-changed": True,
        "liaison:announce": "Attendance 42 saved for Tue Oct 6.",
    }
    session.refresh_from_db()
    assert session.attendance == 42
    # The program's History panel, which the page fetches again on "attendance-changed".
    panel = reverse("panel", args=["program", "program-changes"]) + f"?of={session.program.pk}"
    history = librarian_client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert "Attendance at the session on Oct 6, 2026: 42 (was not counted)" in history
    assert "Alice Reyes" in history


def test_an_empty_box_clears_the_count_and_says_so(librarian_client, session):
    session.attendance = 15
    session.save()
    response = librarian_client.post(url(session), {"attendance": "  "}, headers=htmx(session))
    assert json.loads(response.headers["HX-Trigger-After-Settle"])["liaison:announce"] == (
        "Attendance cleared for Tue Oct 6."
    )
    session.refresh_from_db()
    assert session.attendance is None


def test_a_count_written_with_a_thousands_separator_is_read(librarian_client, session):
    librarian_client.post(url(session), {"attendance": " 1,200 "}, headers=htmx(session))
    session.refresh_from_db()
    assert session.attendance == 1200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "Attendance cannot be below 0."),
        ("many", "Enter the head count as a whole number, like 42."),
        ("4e1", "Enter the head count as a whole number, like 42."),
        ("4.5", "Enter the head count as a whole number, like 42."),
        ("99999999999999999999", "Enter a head count up to 1,000,000: check for a typo."),
        ("1000001", "Enter a head count up to 1,000,000: check for a typo."),
    ],
)
def test_bad_input_is_an_error_next_to_the_box_and_saves_nothing(
    librarian_client, session, typed, message
):
    rows = session.program.history.count()
    response = librarian_client.post(url(session), {"attendance": typed}, headers=htmx(session))
    assert response.status_code == 200
    html = response.content.decode()
    pk = session.pk
    assert f'aria-describedby="attendance-{pk}-error" aria-invalid="true"' in html
    assert f'<div id="attendance-{pk}-error" class="invalid-feedback d-block">{message}</div>' in (
        html
    )
    assert "hx-swap-oob" not in html  # nothing changed: the totals stay
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {
        "liaison:announce": f"Not saved: {message}"
    }
    session.refresh_from_db()
    assert session.attendance is None
    assert session.program.history.count() == rows


def test_a_session_after_today_asks_before_saving(librarian_client, coming):
    response = librarian_client.post(url(coming), {"attendance": "30"}, headers=htmx(coming))
    html = response.content.decode()
    question = "This session is on Dec 8, after today: is that the right session?"
    assert f'<div id="attendance-{coming.pk}-warning"' in html and question in html
    assert f'aria-describedby="attendance-{coming.pk}-warning"' in html
    assert "aria-invalid" not in html  # a question, not a mistake
    assert "Yes, record it for Dec 8" in html
    assert 'value="30"' in html  # what was typed stays
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {
        "liaison:announce": f"Not saved: {question}"
    }
    coming.refresh_from_db()
    assert coming.attendance is None

    # Sent again without the tick (Enter pressed twice): still asked, still not saved.
    librarian_client.post(url(coming), {"attendance": "30"}, headers=htmx(coming))
    coming.refresh_from_db()
    assert coming.attendance is None

    # Ticked, but the count mistyped: the question and the tick stay beside the error.
    response = librarian_client.post(
        url(coming), {"attendance": "3o", "future_confirmed": "1"}, headers=htmx(coming)
    )
    html = response.content.decode()
    assert question in html and "checked" in html and "like 42" in html
    assert f'aria-describedby="attendance-{coming.pk}-error attendance-{coming.pk}-warning"' in html

    response = librarian_client.post(
        url(coming), {"attendance": "30", "future_confirmed": "1"}, headers=htmx(coming)
    )
    assert json.loads(response.headers["HX-Trigger-After-Settle"])["liaison:announce"] == (
        "Attendance 30 saved for Tue Dec 8."
    )
    assert question not in response.content.decode()
    coming.refresh_from_db()
    assert coming.attendance == 30


# The view, without JavaScript


def test_a_plain_post_goes_back_to_the_row_on_the_programs_page_with_a_message(
    librarian_client, session
):
    response = librarian_client.post(url(session), {"attendance": "42"})
    assert response.status_code == 302
    assert response.url == f"{session.program.get_absolute_url()}#session-{session.pk}"
    page = librarian_client.get(response.url)
    html = page.content.decode()
    assert "Attendance 42 saved for Tue Oct 6." in html
    assert "50 people over 2 sessions" in html
    assert "HX-Trigger-After-Settle" not in response.headers


def test_a_plain_post_with_a_mistake_shows_it_on_a_page_of_its_own(librarian_client, session):
    response = librarian_client.post(url(session), {"attendance": "lots"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Attendance at the session on Tuesday, Oct 6, 2026" in html
    assert "Enter the head count as a whole number, like 42." in html
    assert f'<label for="attendance-{session.pk}" class="form-label' in html  # not hidden
    session.refresh_from_db()
    assert session.attendance is None


def test_a_plain_post_for_a_session_after_today_asks_on_its_page_then_saves(
    librarian_client, coming
):
    response = librarian_client.post(url(coming), {"attendance": "30"})
    assert response.status_code == 200
    assert "is that the right session?" in response.content.decode()
    coming.refresh_from_db()
    assert coming.attendance is None
    response = librarian_client.post(url(coming), {"attendance": "30", "future_confirmed": "1"})
    assert response.status_code == 302
    coming.refresh_from_db()
    assert coming.attendance == 30


def test_the_attendance_page_opens_with_the_count_recorded(librarian_client, session):
    session.attendance = 17
    session.save()
    response = librarian_client.get(url(session))
    assert response.status_code == 200
    assert 'value="17"' in response.content.decode()


# The program's page


def test_each_session_row_on_the_programs_page_has_its_box(librarian_client, session):
    session.meeting = MeetingFactory(title="Workshop planning")
    session.save()
    response = librarian_client.get(session.program.get_absolute_url())
    html = response.content.decode()
    assert f'<tr id="session-{session.pk}">' in html
    assert (
        f'<label for="attendance-{session.pk}" class="visually-hidden">Attendance at Oct 6, 2026'
        in (html)
    )
    assert f'hx-post="{url(session)}"' in html and f'action="{url(session)}"' in html
    assert "Workshop planning" in html
    assert '<p class="mb-2" id="program-reach">' in html
    assert '<div id="program-attendance-chart">' in html
    # The History panel fetches itself again once a count is recorded (core.panels).
    assert 'hx-trigger="load, attendance-changed from:body"' in html


# Who may record it


def test_any_staff_member_may_record_and_anonymous_visitors_are_sent_to_log_in(
    client, manager, session
):
    response = client.post(url(session), {"attendance": "5"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    session.refresh_from_db()
    assert session.attendance is None
    client.force_login(manager)
    assert client.post(url(session), {"attendance": "5"}).status_code == 302
    session.refresh_from_db()
    assert session.attendance == 5


def test_an_unknown_session_is_not_found(librarian_client):
    response = librarian_client.post(
        reverse("programs:session_attendance", args=[999999]), {"attendance": "5"}
    )
    assert response.status_code == 404


def test_a_count_recorded_on_the_page_while_the_form_was_open_is_kept(librarian_client, librarian):
    session = ProgramSessionFactory(
        attendance=18, starts_at=dt.datetime(2026, 10, 6, 22, 0, tzinfo=dt.UTC)
    )
    other = ProgramSessionFactory(
        program=session.program,
        attendance=5,
        starts_at=dt.datetime(2026, 10, 13, 22, 0, tzinfo=dt.UTC),
    )
    data = posted_form(
        librarian_client.get(reverse("programs:program_edit", args=[session.program.pk])),
        "program-form",
    )
    # Meanwhile a colleague records both counts on the program page.
    for row, count in ((session, 21), (other, 7)):
        services.session_attendance_record(session=row, attendance=count, by=librarian)
    # The form changes the program's title and one row's own count.
    index = next(
        k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == str(other.pk)
    )
    data.update({"title": "Tax help nights", f"sessions-{index}-attendance": "9"})
    assert (
        librarian_client.post(
            reverse("programs:program_edit", args=[session.program.pk]), data
        ).status_code
        == 302
    )

    session.refresh_from_db()
    other.refresh_from_db()
    assert (session.attendance, other.attendance) == (21, 9)
