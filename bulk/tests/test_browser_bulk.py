"""Bulk actions clicked through: a manager hands a departing colleague's partners to someone
else (the rows of a page ticked at once, then all matching the filter); a librarian moves
three partners to another stage with one note, and snoozes her follow-ups."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bulk.models import BulkAction
from core.tests.axe import violations
from core.tests.factories import UserFactory
from outreach.models import FollowUp
from partners.models import Organization, Stage, StageChange
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast():
    manager = UserFactory(username="maria", first_name="Maria", last_name="Chen", role="Manager")
    rosa = UserFactory(username="rosa", first_name="Rosa", last_name="Díaz", role="Librarian")
    marcus = UserFactory(username="marcus", first_name="Marcus", last_name="Lee", role="Librarian")
    for n in range(30):
        OrganizationFactory(name=f"Partner {n:02d}", owner=rosa)
    OrganizationFactory(name="Marcus's own", owner=marcus)
    return manager, rosa, marcus


def test_a_manager_hands_rosas_partners_to_marcus_from_the_list(page, log_in, cast):
    manager, rosa, marcus = cast
    log_in(manager)
    page.goto(f"/organizations/?owner={rosa.pk}")
    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("25 selected on this page")
    page.get_by_label("Select Partner 00").uncheck()
    expect(page.get_by_label("Select all on this page")).not_to_be_checked()
    page.get_by_role("button", name="Change the selected…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change 24 organizations")
    page.get_by_label("Give to another owner").check()
    page.get_by_label("New owner").select_option(label="Marcus Lee")
    page.get_by_role("button", name="Review the change").click()
    expect(page.locator("#what-changes")).to_have_text(
        "24 organizations: owner Rosa Díaz → Marcus Lee"
    )
    assert violations(page, "bulk confirmation") == []
    page.get_by_role("button", name="Confirm: change 24 organizations").click()
    expect(page.get_by_role("status").first).to_contain_text("Done: 24 organizations changed.")
    assert Organization.objects.filter(owner=rosa).count() == 6

    # The rest: all that still match "Rosa's", however many pages.
    page.goto(f"/organizations/?owner={rosa.pk}")
    page.get_by_label("Select all 6 matching this filter").check()
    page.get_by_role("button", name="Change the selected…").click()
    page.get_by_label("Give to another owner").check()
    page.get_by_label("New owner").select_option(label="Marcus Lee")
    page.get_by_role("button", name="Review the change").click()
    page.get_by_role("button", name="Confirm: change 6 organizations").click()
    expect(page.get_by_role("status").first).to_contain_text("Done: 6 organizations changed.")
    assert not Organization.objects.filter(owner=rosa).exists()

    # A manager reviews them under Manage.
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("button", name="Manage").or_(menu.get_by_role("link", name="Manage")).click()
    menu.get_by_role("link", name="Bulk actions").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert violations(page, "bulk actions") == []


def test_a_librarian_moves_three_partners_on_and_snoozes_her_follow_ups(page, log_in, cast):
    _manager, rosa, _marcus = cast
    today = timezone.localdate()
    for n in range(3):
        FollowUp.objects.create(
            title=f"Call back {n}",
            due_on=today + dt.timedelta(days=n),
            assignee=rosa,
            organization=Organization.objects.get(name=f"Partner {n:02d}"),
        )
    log_in(rosa)
    page.goto("/organizations/")
    for n in range(3):
        page.get_by_label(f"Select Partner {n:02d}").check()
    page.get_by_role("button", name="Change the selected…").click()
    expect(page.get_by_label("Give to another owner")).to_have_count(0)  # managers only
    page.get_by_label("Move to another stage").check()
    page.get_by_label("New stage").select_option(Stage.CONTACTED)
    page.get_by_label("Note for the stage history (optional)").fill("Met at the health fair")
    page.get_by_role("button", name="Review the change").click()
    page.get_by_role("button", name="Confirm: change 3 organizations").click()
    expect(page.get_by_role("status").first).to_contain_text("Done: 3 organizations changed.")
    notes = StageChange.objects.filter(note="Met at the health fair", changed_by=rosa)
    assert notes.count() == 3

    page.goto("/followups/")
    page.get_by_label("Select all 3 matching this filter").check()
    page.get_by_role("button", name="Change the selected…").click()
    page.get_by_label("Snooze to another day").check()
    page.get_by_label("Snooze until").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Review the change").click()
    page.get_by_role("button", name="Confirm: change 3 follow-ups").click()
    expect(page.get_by_role("status").first).to_contain_text("Done: 3 follow-ups changed.")
    assert set(FollowUp.objects.values_list("due_on", flat=True)) == {today + dt.timedelta(days=10)}
    assert BulkAction.objects.count() == 2
