"""Logging a touchpoint from the top bar's New menu, by keyboard alone, in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from outreach.models import Touchpoint
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page: Page, selector: str, presses: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus, as someone without a mouse."""
    target = page.locator(selector)
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_log_a_touchpoint_from_the_new_menu_with_the_keyboard_only(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    AffiliationFactory(organization=clinic, contact=ContactFactory(name="Dana Whitfield"))
    OrganizationFactory(name="Eastside Food Bank")
    OrganizationFactory(name="Westside Library Friends")
    log_in(librarian)

    tab_to(page, "#new-menu")
    page.keyboard.press("Enter")
    menu = page.locator("#new-menu + .dropdown-menu")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="Log a touchpoint")).to_be_focused()
    problems = violations(page, "New menu open")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a touchpoint")

    box = page.get_by_role("combobox", name="Organization")
    tab_to(page, "#id_organization_name")
    page.keyboard.type("east")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    status = page.locator("[data-organization-status]")
    expect(status).to_contain_text("2 organizations match “east”.")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    first = listbox.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    problems += violations(page, "Organization suggestions open")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Eastside Community Clinic")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#id_organization")).to_have_value(str(clinic.pk))
    expect(status).to_have_text("Eastside Community Clinic chosen.")
    # The clinic's people, fetched for the organization chosen.
    dana = page.get_by_role("checkbox", name="Dana Whitfield")
    expect(dana).to_be_visible()
    problems += violations(page, "Organization chosen")
    assert not problems, "\n".join(problems)

    # Typing again forgets the choice; Escape closes the list, Down opens it again.
    page.keyboard.type(" x")
    expect(page.locator("#id_organization")).to_have_value("")
    expect(status).to_have_text("No organization matches “Eastside Community Clinic x”.")
    for _ in range(2):
        page.keyboard.press("Backspace")
    expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page.locator("#id_organization")).to_have_value(str(clinic.pk))

    tab_to(page, "#id_subject")
    page.keyboard.type("Called Dana about the health fair")
    tab_to(page, f"input[name=contacts][value='{dana.get_attribute('value')}']")
    page.keyboard.press("Space")
    expect(dana).to_be_checked()
    tab_to(page, "button[type=submit]:has-text('Log touchpoint')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside Community Clinic")
    expect(page.get_by_role("alert").first).to_contain_text("Touchpoint with")
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.organization == clinic and touchpoint.staff == librarian
    assert [c.name for c in touchpoint.contacts.all()] == ["Dana Whitfield"]
