"""Two librarians edit one organization at the same time, in two browsers: the second save does
not erase the first one's change; she sees both versions and chooses."""

import pytest
from playwright.sync_api import Page, expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from partners.models import Organization
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_on(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("liaison-test")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_the_second_of_two_editors_sees_the_conflict_and_keeps_her_version(
    page, log_in, browser, live_server
):
    alice = UserFactory(username="alice", first_name="Alice", last_name="Reyes", role="Librarian")
    UserFactory(username="marcus", first_name="Marcus", last_name="Reed", role="Librarian")
    organization = OrganizationFactory(name="Eastside Community Clinic", phone="555-0100")
    edit = f"/organizations/{organization.pk}/edit/"

    log_in(alice)
    page.goto(edit)  # Alice opens the form…
    marcus_context = browser.new_context(base_url=live_server.url)
    try:
        other = marcus_context.new_page()
        log_in_on(other, "marcus")
        other.goto(edit)  # …so does Marcus, who saves first.
        other.get_by_label("Phone").fill("555-0199")
        other.get_by_role("button", name="Save changes").click()
        expect(other.get_by_role("heading", level=1)).to_have_text("Eastside Community Clinic")
    finally:
        marcus_context.close()

    page.get_by_label("Phone").fill("555-0123")
    page.get_by_label("Mission and priorities").fill("Health for every family.")
    page.get_by_role("button", name="Save changes").click()

    conflict = page.locator("#edit-conflict")
    expect(conflict).to_contain_text("Changed by Marcus Reed at")
    expect(conflict).to_contain_text("since you opened it")
    phone = conflict.get_by_role("row", name="Phone")
    expect(phone).to_contain_text("555-0199")
    expect(phone).to_contain_text("555-0123")
    expect(page.get_by_label("Phone")).to_have_value("555-0123")  # hers, still in the form
    assert Organization.objects.get().phone == "555-0199"  # nothing of hers saved yet
    assert violations(page, "Organization form with an edit conflict") == []

    page.get_by_role("button", name="Save changes").click()  # hers, deliberately

    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside Community Clinic")
    organization.refresh_from_db()
    assert (organization.phone, organization.mission) == ("555-0123", "Health for every family.")
    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    expect(history).to_contain_text("Alice Reyes")
    expect(history).to_contain_text("Marcus Reed")
