"""The program form in Chromium: a partner picked from the matches while typing its name."""

import pytest
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from partners.tests.factories import OrganizationFactory
from programs.models import Program
from programs.tests.helpers import PROGRAM_CREATE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_is_picked_from_the_matches_while_typing(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    county = OrganizationFactory(name="Riverside County Health Department")
    OrganizationFactory(name="Riverside County Health Department")  # same name, other one
    log_in(librarian)

    page.goto(f"{PROGRAM_CREATE}?organization={county.pk}")
    page.get_by_label("Title").fill("Health fair 2027")
    page.get_by_label("Kind").select_option(label="Health or information fair")
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    page.get_by_role("button", name="Add a partner").click()
    box = page.locator("#id_partners-1-organization")
    expect(box).to_be_focused()  # the new row's first box
    box.fill("eastside comm")
    page.locator("#partners-1-matches").get_by_role("button", name=clinic.name).click()
    expect(box).to_have_value(f"{clinic.name} (#{clinic.pk})")
    page.locator("#id_partners-1-role").select_option(label="Venue")
    page.get_by_role("button", name="Add a session").click()
    page.locator("#id_sessions-0-date").fill("2027-04-10")
    page.locator("#id_sessions-0-time").fill("10:00")
    page.locator("#id_sessions-0-attendance").fill("140")
    page.get_by_role("button", name="Create program").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Health fair 2027")
    program = Program.objects.get()
    assert {p.organization for p in program.program_partners.all()} == {county, clinic}
    expect(page.get_by_text("140 people over 1 session")).to_be_visible()
