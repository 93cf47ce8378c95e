"""A librarian's first partnership, clicked through in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from partners.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_librarian_adds_an_organization_a_contact_and_moves_it_to_contacted(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Alice", role="Librarian")
    log_in(librarian)

    page.get_by_role("link", name="Organizations").first.click()
    page.get_by_role("link", name="Add an organization", exact=True).click()
    page.get_by_label("Organization name").fill("Riverside County Health Department")
    page.get_by_label("Kind").select_option(label="Government agency")
    page.get_by_label("Government level").select_option(label="County")
    page.get_by_label("Common ground").fill("Health literacy workshops at every branch.")
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside County Health Department")
    expect(page.get_by_role("alert").first).to_contain_text("was added")

    page.get_by_role("link", name="Add a new contact").click()
    page.get_by_label("Title or role").fill("Health educator")
    page.get_by_label("Primary contact for this organization").check()
    page.get_by_label("Name").fill("Dana Whitfield")
    page.get_by_label("Email").fill("dana.whitfield@county.example.gov")
    page.get_by_label("Phone").fill("(555) 201-3344")
    page.get_by_role("button", name="Add contact").click()

    page.get_by_label("New stage").select_option(label="Contacted")
    page.get_by_label("Note (optional)").fill("Called Dana; she wants a meeting in May.")
    page.get_by_role("button", name="Save stage").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside County Health Department")
    contacts = page.locator("section", has=page.get_by_role("heading", name="Contacts"))
    expect(contacts).to_contain_text("Dana Whitfield")
    expect(contacts).to_contain_text("Health educator")
    expect(contacts).to_contain_text("Primary contact")
    history = page.locator("section", has=page.get_by_role("heading", name="Timeline"))
    expect(history).to_contain_text(re.compile(r"Identified\s*→\s*Contacted"))
    expect(history).to_contain_text("Called Dana; she wants a meeting in May.")
    expect(page.locator(".stage-badge").first).to_have_text("Contacted")

    organization = Organization.objects.get()
    assert organization.stage == "contacted"
    assert organization.stage_changes.count() == 2


def test_the_organization_list_is_usable_on_a_phone(page, log_in):
    librarian = UserFactory(username="librarian", role="Librarian")
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(librarian)
    page.goto("/organizations/")
    # The menu collapses behind a toggle, and nothing is wider than the screen.
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("link", name="Contacts")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
