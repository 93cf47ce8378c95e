"""A joint program from plan to impact, clicked through in Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from partners.models import Organization
from partners.tests.factories import OrganizationFactory
from programs.models import Outcome, Program, ProgramSession, Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_workshop_series_with_two_partners_sessions_outcome_story_and_impact(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    OrganizationFactory(name="Riverside County Health Department", kind=Organization.Kind.HEALTH)
    OrganizationFactory(name="Eastside Community Clinic", kind=Organization.Kind.HEALTH)
    today = timezone.localdate()
    # Two past sessions this year (on January 1st and 2nd, the first days of the year).
    first = max(today - dt.timedelta(days=2), today.replace(month=1, day=1))
    second = max(today - dt.timedelta(days=1), today.replace(month=1, day=1))
    log_in(librarian)

    page.get_by_role("link", name="Programs", exact=True).click()
    page.get_by_role("link", name="New program").click()
    page.get_by_label("Title").fill("Health literacy workshop series")
    page.get_by_label("Kind").select_option(label="Workshop or seminar")
    page.get_by_label("Status").select_option(label="Active")
    # No blank rows: each partner and session is added when needed.
    page.get_by_role("button", name="Add a partner").click()
    page.locator("#id_partners-0-organization").fill("Riverside County Health Department")
    page.locator("#id_partners-0-role").select_option(label="Lead")
    page.get_by_role("button", name="Add a partner").click()
    page.locator("#id_partners-1-organization").fill("Eastside Community Clinic")
    page.locator("#id_partners-1-role").select_option(label="Co-host")
    page.get_by_role("button", name="Add a session").click()
    page.get_by_role("button", name="Add a session").click()
    page.locator("#id_sessions-0-date").fill(first.isoformat())
    page.locator("#id_sessions-0-time").fill("18:00")
    page.locator("#id_sessions-0-location").fill("Main Library, Community Room")
    page.locator("#id_sessions-0-attendance").fill("18")
    page.locator("#id_sessions-1-date").fill(second.isoformat())
    page.locator("#id_sessions-1-time").fill("18:00")
    page.locator("#id_sessions-1-attendance").fill("24")
    page.get_by_role("button", name="Create program").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Health literacy workshop series")
    expect(page.locator("main")).to_contain_text("Riverside County Health Department")
    expect(page.locator("main")).to_contain_text("Eastside Community Clinic")
    expect(page.locator("main")).to_contain_text("42")  # total reach

    page.get_by_role("link", name="Add outcome").click()
    page.get_by_label("What was measured").fill(
        "Participants reporting more confidence finding health information"
    )
    page.get_by_label("Value").fill("78")
    page.get_by_label("Unit").fill("%")
    page.get_by_role("button", name="Add outcome").click()

    page.get_by_role("link", name="Add story").click()
    page.get_by_label("The story").fill("I finally understand my prescription labels.")
    page.get_by_label("Who told it").fill("Workshop participant")
    page.get_by_label("They agreed that this story may be shared").check()
    page.get_by_role("button", name="Add story").click()

    page.get_by_role("link", name="Impact summary").click()
    main = page.locator("main")
    expect(main).to_contain_text("Health literacy workshop series")
    expect(main).to_contain_text("42")
    expect(main).to_contain_text(
        "Participants reporting more confidence finding health information"
    )
    expect(main).to_contain_text("78")
    expect(main).to_contain_text("I finally understand my prescription labels.")
    expect(page.locator("svg[role=img]")).to_have_count(1)

    program = Program.objects.get()
    assert program.program_partners.count() == 2
    attendance = ProgramSession.objects.order_by("attendance").values_list("attendance", flat=True)
    assert list(attendance) == [18, 24]
    assert Outcome.objects.get().value == 78
    assert Story.objects.get().consent_to_share is True
