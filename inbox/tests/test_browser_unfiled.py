"""Filing an unfiled email to its organization, by keyboard alone, in Chromium."""

import pytest
from playwright.sync_api import expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from inbox.models import CapturedEmail
from inbox.services import email_capture
from inbox.tests.messages import raw
from outreach.models import Touchpoint
from outreach.tests.test_browser_new_menu import tab_to
from partners.models import Contact
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_an_unfiled_email_and_add_its_sender_with_the_keyboard_only(page, log_in):
    librarian = UserFactory(
        username="librarian", first_name="Rosa", email="rosa@library.example.org", role="Librarian"
    )
    pantry = OrganizationFactory(name="Eastside Food Pantry")
    OrganizationFactory(name="Westside Library Friends")
    email = email_capture(
        raw=raw(
            sender="Jordan Ellis <jordan@pantry.example.org>",
            to="rosa@library.example.org",
            subject="A food and literacy night?",
        )
    ).email
    assert email is not None and email.status == CapturedEmail.Status.UNFILED
    log_in(librarian)

    tab_to(page, "nav a:text('Touchpoints')")
    page.keyboard.press("Enter")
    tab_to(page, "main a:text('Unfiled email')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unfiled email")
    problems = violations(page, "Unfiled email")
    tab_to(page, "a.btn:has-text('File or discard')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("A food and literacy night?")

    tab_to(page, "#id_organization_name")
    page.keyboard.type("eastside")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#id_organization")).to_have_value(str(pantry.pk))
    problems += violations(page, "Filing an email")
    tab_to(page, "#id_add_people")
    page.keyboard.press("Space")
    expect(page.locator("#id_add_people")).to_be_checked()
    tab_to(page, "button:has-text('File email')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside Food Pantry")
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "Filed to Eastside Food Pantry."
    )
    touchpoint = Touchpoint.objects.get(organization=pantry)
    jordan = Contact.objects.get(email="jordan@pantry.example.org")
    assert list(touchpoint.contacts.all()) == [jordan]
    assert problems == []
