"""Writing email in Chromium, by keyboard alone: one partner, then every health partner."""

import pytest
from playwright.sync_api import expect

from compose.models import GroupEmail
from compose.services import email_template_create
from compose.tests.conftest import partner
from core.tests.axe import violations
from core.tests.factories import UserFactory
from mail.models import OutgoingEmail
from outreach.models import Touchpoint
from outreach.tests.test_browser_new_menu import tab_to
from partners.models import Organization
from partners.tests.factories import AffiliationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_to_a_partner_from_a_template_with_the_keyboard_only(page, log_in):
    librarian = UserFactory(
        username="librarian", first_name="Rosa", last_name="Diaz",
        email="rosa@library.example.org", role="Librarian",
    )  # fmt: skip
    manager = UserFactory(username="manager", role="Manager")
    clinic = Organization.objects.create(name="Eastside Community Clinic", normalized_name="x")
    maya = ContactFactory(name="Maya Lopez", email="maya@clinic.example.org")
    AffiliationFactory(contact=maya, organization=clinic, is_primary=True)
    email_template_create(
        name="Invitation to an event",
        subject="{organization}: join us at the health fair",
        body="Dear {first_name},\n\nWould you join us?\n\n{sender_signature}",
        by=manager,
    )
    log_in(librarian)
    page.goto(clinic.get_absolute_url())

    tab_to(page, "main a:text-is('Email')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email Eastside Community Clinic")
    problems = violations(page, "Write an email")
    tab_to(page, "#id_template")
    page.keyboard.press("ArrowDown")  # the select moves to the first template
    tab_to(page, "button:has-text('Use this template')")
    page.keyboard.press("Enter")
    expect(page.locator("#id_subject")).to_have_value("{organization}: join us at the health fair")
    expect(page.locator("input[name=recipients]")).to_be_checked()  # the primary contact
    tab_to(page, "button:has-text('Preview')")
    page.keyboard.press("Enter")

    preview = page.get_by_role("article", name="Email to Maya Lopez")
    expect(preview).to_contain_text("Eastside Community Clinic: join us at the health fair")
    expect(preview).to_contain_text("Dear Maya,")
    expect(preview).to_contain_text("Rosa Diaz <")
    problems += violations(page, "Preview of an email")
    tab_to(page, "button:has-text('Send email')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside Community Clinic")
    expect(page.locator(".alert-success")).to_contain_text("Email to Maya Lopez is on its way")
    expect(page.locator("#timeline")).to_contain_text(
        "Eastside Community Clinic: join us at the health fair"
    )
    touchpoint = Touchpoint.objects.get(organization=clinic)
    assert OutgoingEmail.objects.get().related_url.endswith(f"/touchpoints/{touchpoint.pk}/")
    page.goto(f"/touchpoints/{touchpoint.pk}/")
    expect(page.get_by_role("heading", name="Sent from Liaison")).to_be_visible()
    problems += violations(page, "A sent email's touchpoint")
    assert problems == []


def test_invite_every_active_health_partner_in_one_go(page, log_in):
    librarian = UserFactory(
        username="librarian", first_name="Rosa", email="rosa@library.example.org",
        role="Librarian",
    )  # fmt: skip
    for name in ("Eastside Clinic", "Northside Hospital", "Valley Health"):
        partner(name, email=f"{name.split()[0].lower()}@health.example.org")
    partner("Westside Health", email="out@westside.example.org", opted_out_of_updates=True,
            opted_out_at="2026-10-01T00:00Z")  # fmt: skip
    partner("Lincoln School", kind=Organization.Kind.SCHOOL)
    log_in(librarian)
    page.goto("/organizations/")

    tab_to(page, "#id_kind")
    page.keyboard.press("h")  # Health organization
    tab_to(page, "#id_stage")
    page.keyboard.press("a")  # Active partner
    tab_to(page, "button:has-text('Filter')")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("4 organizations match")
    tab_to(page, "a:text-is('primary contacts')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("New group email")
    expect(page.locator("main")).to_contain_text("3 will receive it; 1 left out")
    expect(page.locator("main")).to_contain_text("Pat Westside, Westside Health: Unsubscribed")
    problems = violations(page, "New group email")
    tab_to(page, "#id_subject")
    page.keyboard.type("Health fair: {organization} is invited")
    tab_to(page, "#id_body")
    page.keyboard.type("Dear {first_name}, join us on May 9.")
    tab_to(page, "button:has-text('Preview')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("article")).to_have_count(3)
    expect(page.get_by_role("article").first).to_contain_text("Dear Pat, join us on May 9.")
    expect(page.get_by_role("article").first).to_contain_text("To stop group emails")
    problems += violations(page, "Group email preview")
    tab_to(page, "button:has-text('Send to 3 people')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Health fair: {organization} is invited"
    )
    expect(page.locator("main")).to_contain_text("0 sent · 3 waiting to send")
    problems += violations(page, "Group email page")
    group_email = GroupEmail.objects.get()
    assert group_email.recipients.exclude(left_out="").get().contact.name == "Pat Westside"
    addresses = set(OutgoingEmail.objects.values_list("to_address", flat=True))
    assert "out@westside.example.org" not in addresses and len(addresses) == 3
    assert problems == []
