"""Follow-ups on a phone: Done and one menu for the rest, worked with the keyboard."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from outreach.services import followup_create
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
TITLE = "Send the volunteer coordinator the health-fair flyer and the sign-up sheet"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_a_follow_up_is_snoozed_a_week_from_its_menu_by_keyboard(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    today = timezone.localdate()
    late, _other = (
        followup_create(
            organization=clinic, assignee=librarian, created_by=librarian, title=title, due_on=day
        )
        for title, day in [(TITLE, today - dt.timedelta(days=2)), ("Call Dana", today)]
    )
    page.set_viewport_size(PHONE)
    log_in(librarian)
    page.goto("/")
    assert fits_the_screen(page)
    panel = page.locator("#panel-my-followups")
    expect(panel).to_contain_text("Overdue (1)")
    page.evaluate("window.notReloaded = true")

    row = page.locator(f"#followup-{late.pk}")
    done = row.get_by_role("button", name="Done")
    more = row.get_by_role("button", name=f"More actions: {TITLE}")
    # Its two controls side by side, on one line under what it says.
    done_box, more_box = done.bounding_box(), more.bounding_box()
    assert done_box and more_box and abs(done_box["y"] - more_box["y"]) < 2

    more.focus()
    page.keyboard.press("Enter")
    menu = row.locator(".dropdown-menu")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(row.get_by_role("button", name="Snooze 1 day")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(row.get_by_role("button", name="Snooze 1 week")).to_be_focused()
    assert fits_the_screen(page)
    assert violations(page, "dashboard on a phone, a follow-up's menu open") == []
    page.keyboard.press("Enter")

    week = today + dt.timedelta(days=7)
    expect(page.locator("#announcer")).to_have_text(f"“{TITLE}” is now due {week:%a %b %-d}.")
    expect(panel).not_to_contain_text("Overdue")
    expect(page.locator("body")).not_to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    late.refresh_from_db()
    assert late.due_on == week

    page.goto("/followups/")
    expect(page.locator(f"#followup-{late.pk}")).to_contain_text(TITLE)
    assert fits_the_screen(page)
    page.locator(f"#followup-{late.pk}").get_by_role("button", name="More actions").click()
    assert fits_the_screen(page)
    assert violations(page, "follow-up list on a phone, a menu open") == []
