"""Attendance recorded on the program's page by keyboard alone, and the program form's rows
added on request, in Chromium."""

import datetime as dt

import pytest
from django.utils import formats, timezone
from playwright.sync_api import Page, expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from programs.models import ProgramSession
from programs.tests.factories import ProgramFactory, ProgramSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at_six_pm(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))


def said(day: dt.date) -> str:
    """A day as the announcements say it: "Tue Dec 8" (with the year if not this year's)."""
    text = formats.date_format(day, "D M j")
    return text if day.year == timezone.localdate().year else f"{text}, {day.year}"


def tab_to(page: Page, element_id: str, most: int = 120) -> None:
    """Press Tab until the element has the keyboard, as a person would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} was never reached with Tab")


def test_attendance_is_recorded_in_place_by_keyboard_alone(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    today = timezone.localdate()
    program = ProgramFactory(title="Tax help nights")
    held = ProgramSessionFactory(
        program=program, starts_at=at_six_pm(today - dt.timedelta(days=3)), attendance=None
    )
    ProgramSessionFactory(
        program=program, starts_at=at_six_pm(today - dt.timedelta(days=10)), attendance=8
    )
    coming = ProgramSessionFactory(
        program=program, starts_at=at_six_pm(today + dt.timedelta(days=12)), attendance=None
    )
    log_in(librarian)
    page.goto(program.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    reach = page.locator("#program-reach")
    expect(reach).to_contain_text("8 people over 3 sessions (1 with a head count)")

    tab_to(page, f"attendance-{held.pk}")
    page.keyboard.type("42")
    page.keyboard.press("Enter")

    day = held.starts_at.astimezone(timezone.get_current_timezone()).date()
    expect(page.locator("#announcer")).to_have_text(f"Attendance 42 saved for {said(day)}.")
    expect(reach).to_contain_text("50 people over 3 sessions (2 with a head count)")
    expect(page.locator("#program-attendance-chart")).to_contain_text("50 in total")
    # The History panel fetched itself again and shows who recorded what.
    expect(page.locator("#panel-program-changes")).to_contain_text("42 (was not counted)")
    expect(page.locator(f"#attendance-{held.pk}")).to_have_value("42")
    expect(page.locator(f"#attendance-{held.pk}")).to_be_focused()
    expect(page.locator("body")).not_to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    assert violations(page, "program page after recording attendance") == []
    held.refresh_from_db()
    assert held.attendance == 42

    # A session after today: asked first; Enter again asks again; the tick saves it.
    tab_to(page, f"attendance-{coming.pk}")
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    later = coming.starts_at.astimezone(timezone.get_current_timezone()).date()
    warning = page.locator(f"#attendance-{coming.pk}-warning")
    expect(warning).to_contain_text("after today: is that the right session?")
    expect(page.locator("#announcer")).to_contain_text("Not saved: This session is on")
    expect(page.locator(f"#attendance-{coming.pk}")).to_be_focused()
    assert violations(page, "program page asking about a session after today") == []
    with page.expect_response(lambda r: "/attendance/" in r.url):  # the row comes back, asking
        page.keyboard.press("Enter")
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    expect(warning).to_be_visible()
    coming.refresh_from_db()
    assert coming.attendance is None

    tab_to(page, f"attendance-{coming.pk}-confirm")
    page.keyboard.press("Space")
    expect(page.locator(f"#attendance-{coming.pk}-confirm")).to_be_checked()
    page.keyboard.press("Shift+Tab")  # back to Save
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text(f"Attendance 30 saved for {said(later)}.")
    expect(warning).to_have_count(0)
    expect(reach).to_contain_text("80 people over 3 sessions")
    expect(page.locator("body")).not_to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    coming.refresh_from_db()
    assert coming.attendance == 30

    # A mistake is said next to the box, and nothing changes.
    tab_to(page, f"attendance-{held.pk}")
    page.keyboard.press("Control+A")
    page.keyboard.type("4o")
    page.keyboard.press("Enter")
    expect(page.locator(f"#attendance-{held.pk}-error")).to_have_text(
        "Enter the head count as a whole number, like 42."
    )
    expect(page.locator(f"#attendance-{held.pk}")).to_have_attribute("aria-invalid", "true")
    expect(reach).to_contain_text("80 people over 3 sessions")
    assert violations(page, "program page with a mistyped head count") == []
    held.refresh_from_db()
    assert held.attendance == 42


def test_sessions_are_added_to_the_program_form_when_needed(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    program = ProgramFactory(title="Tax help nights")
    ProgramSessionFactory(program=program)
    log_in(librarian)
    page.goto(f"{program.get_absolute_url()}edit/")
    expect(page.locator("#sessions-rows fieldset")).to_have_count(1)  # no blank row

    page.get_by_role("button", name="Add a session").focus()
    page.keyboard.press("Enter")
    new_date = page.locator("#id_sessions-1-date")
    expect(new_date).to_be_focused()
    expect(page.get_by_label("Session date")).to_have_count(2)
    new_date.fill("2026-04-02")
    page.locator("#id_sessions-1-time").fill("18:30")
    page.locator("#id_sessions-1-location").fill("Branch library")
    assert violations(page, "program form with a session added") == []

    # Enter in a box saves the form (not the "Add" buttons before the Save button).
    page.get_by_label("Title").press("End")
    page.get_by_label("Title").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tax help nights")
    sessions = ProgramSession.objects.filter(program=program)
    assert sessions.count() == 2
    assert sessions.filter(location="Branch library").exists()
