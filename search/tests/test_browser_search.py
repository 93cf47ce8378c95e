"""A librarian looks for "the clinic that does diabetes classes" from any page, by keyboard."""

import pytest
from playwright.sync_api import expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_slash_puts_the_keyboard_in_the_search_box_and_the_clinic_comes_first(page, log_in):
    librarian = UserFactory(username="rosa", role="Librarian")
    OrganizationFactory(name="Harlow Springs Community Clinic", services="Diabetes classes.")
    OrganizationFactory(name="St. Luke's Hospital", services="Diabetes education.")
    log_in(librarian)
    page.goto("/organizations/")

    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="Search Liaison")
    expect(box).to_be_focused()
    box.fill("diabetes classes")
    box.press("Enter")

    expect(page).to_have_title("Search: diabetes classes · Liaison")
    found = page.get_by_role("region", name="Organizations").get_by_role("link")
    expect(found).to_have_count(1)
    expect(found.first).to_have_text("Harlow Springs Community Clinic")
    expect(page.locator("mark", has_text="Diabetes")).to_have_count(1)
    # On the results page "/" goes to its own box, what was typed still in it.
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.get_by_label("Organizations, contacts, touchpoints")).to_be_focused()
    # Typing "/" into a box types it.
    page.keyboard.type("a/b")
    expect(page.get_by_label("Organizations, contacts, touchpoints")).to_have_value("a/b")
    found.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harlow Springs Community Clinic")


def test_on_a_phone_slash_opens_the_search_page(page, log_in):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(UserFactory(username="rosa", role="Librarian"))
    page.keyboard.press("/")
    page.wait_for_url("**/search/")
    expect(page.get_by_label("Organizations, contacts, touchpoints")).to_be_focused()
    assert violations(page, "Search page on a phone") == []


def test_the_shortcut_can_be_turned_off_and_on(page, log_in):
    """WCAG 2.1.4: a one-key shortcut can be turned off (in this browser, from the search page)."""
    log_in(UserFactory(username="rosa", role="Librarian"))
    page.goto("/search/")
    toggle = page.get_by_role("button", name="Turn off the / shortcut")
    toggle.click()
    expect(page.get_by_role("button", name="Turn on the / shortcut")).to_be_focused()
    page.goto("/organizations/")
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search Liaison")).not_to_be_focused()
    expect(page.get_by_role("searchbox", name="Search Liaison")).not_to_have_attribute(
        "aria-keyshortcuts", "/"
    )
    page.goto("/search/")
    page.get_by_role("button", name="Turn on the / shortcut").click()
    page.goto("/organizations/")
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search Liaison")).to_be_focused()


def test_slash_after_ticking_a_row_still_searches(page, log_in):
    OrganizationFactory(name="Harlow Springs Community Clinic")
    log_in(UserFactory(username="marcus", role="Manager"))
    page.goto("/organizations/")
    page.get_by_label("Select Harlow Springs Community Clinic").check()
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search Liaison")).to_be_focused()
