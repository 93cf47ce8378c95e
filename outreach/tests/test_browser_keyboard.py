"""A librarian's week by keyboard alone, in Chromium: Tab, Shift+Tab, Space, Enter, the arrow keys
and typing into the field the keyboard has reached (no clicks, no fill()). After each in-place
update the news is in the live region, the keyboard is still on the page (not on <body>) with a
focus ring one can see, and axe-core finds nothing."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from core.tests.keyboard import focus_is_on, focus_ring, press_until
from outreach.models import FollowUp, Touchpoint
from outreach.services import followup_create
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page: Page, locator: Locator, *, key: str = "Tab") -> None:
    press_until(page, lambda: focus_is_on(page, locator), key=key)


def _keyboard_is_still_here(page: Page, where: str) -> None:
    # An in-place update gives focus back once htmx has settled the new content.
    expect(page.locator("body")).not_to_be_focused()
    ring = focus_ring(page)
    assert ring["shown"], f"{where}: no visible focus on {ring.get('name')}: {ring['why']}"


def test_logging_a_call_with_a_follow_up_by_keyboard_alone(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    AffiliationFactory(organization=clinic, contact=ContactFactory(name="Dana Whitfield"))
    AffiliationFactory(organization=clinic, contact=ContactFactory(name="Lee Park"))
    log_in(librarian)
    page.goto(clinic.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    quick_log = page.locator("#quick-log")

    # The skip link first, then on through the page to the quick log.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    channel = quick_log.get_by_label("Channel")
    _tab_to(page, channel)
    _keyboard_is_still_here(page, "the channel")
    page.keyboard.type("Phone")  # a closed list picks the option that starts with what is typed
    expect(channel).to_have_value(Touchpoint.Channel.PHONE)
    subject = quick_log.get_by_label("Subject")
    _tab_to(page, subject)  # through the date's day, month and year
    page.keyboard.type("Called Dana about the health fair")
    _tab_to(page, quick_log.get_by_label("Lee Park"))
    # One too far: back to Dana with Shift+Tab, ticked with Space.
    dana = quick_log.get_by_label("Dana Whitfield")
    _tab_to(page, dana, key="Shift+Tab")
    page.keyboard.press("Space")
    expect(dana).to_be_checked()
    notes = quick_log.get_by_label("Notes")
    _tab_to(page, notes)
    page.keyboard.type("She will bring flu-shot flyers.")
    follow_up = quick_log.get_by_label("Follow up", exact=True)
    _tab_to(page, follow_up)
    page.keyboard.press("ArrowDown")  # "No follow-up" → "In 1 week"
    expect(follow_up).to_have_value("7")
    _tab_to(page, quick_log.get_by_role("button", name="Log touchpoint"))
    _keyboard_is_still_here(page, "the Log touchpoint button")
    page.keyboard.press("Enter")

    due = timezone.localdate() + dt.timedelta(days=7)
    expect(page.locator("#announcer")).to_have_text(
        f"Phone call logged; follow-up due {due:%b %-d}."
    )
    timeline = page.locator("#timeline-entries")
    expect(timeline.locator(".timeline-touchpoint").first).to_contain_text(
        "Called Dana about the health fair"
    )
    expect(page.locator("#panel-organization-followups")).to_contain_text(
        "Follow up: Called Dana about the health fair"
    )
    # The keyboard is back at the top of the emptied form, ready for the next call.
    expect(quick_log.get_by_label("Subject")).to_have_value("")
    expect(quick_log.get_by_label("Channel")).to_be_focused()
    _keyboard_is_still_here(page, "after logging")
    assert violations(page, "organization page after logging by keyboard") == []
    assert page.evaluate("window.notReloaded") is True
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.channel, touchpoint.notes) == (
        Touchpoint.Channel.PHONE,
        "She will bring flu-shot flyers.",
    )
    assert list(touchpoint.contacts.values_list("name", flat=True)) == ["Dana Whitfield"]
    followup = FollowUp.objects.get()
    assert (followup.due_on, followup.assignee_id) == (due, librarian.pk)


def test_completing_a_follow_up_from_the_dashboard_by_keyboard_alone(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    today = timezone.localdate()
    flyer, call = (
        followup_create(
            organization=clinic, assignee=librarian, created_by=librarian, title=title, due_on=day
        )
        for title, day in [
            ("Send the flyer", today - dt.timedelta(days=1)),
            ("Call Dana", today + dt.timedelta(days=2)),
        ]
    )
    log_in(librarian)
    page.goto("/")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#followup-{flyer.pk}")
    expect(row).to_contain_text("Send the flyer")

    # Whatever else the row holds, Tab reaches its Done button (named "Done: <title>").
    _tab_to(page, row.get_by_role("button", name=re.compile(r"^Done\b")))
    _keyboard_is_still_here(page, "the Done button")
    page.keyboard.press("Enter")

    expect(page.locator("#announcer")).to_have_text("Done: Send the flyer.")
    expect(row).to_have_count(0)
    expect(page.locator(f"#followup-{call.pk}")).to_contain_text("Call Dana")
    # The keyboard moves on to the next follow-up's Done.
    next_row = page.locator(f"#followup-{call.pk}")
    next_done = next_row.get_by_role("button", name=re.compile(r"^Done"))
    expect(next_done).to_be_focused()
    _keyboard_is_still_here(page, "after Done")
    assert violations(page, "dashboard after Done by keyboard") == []
    assert page.evaluate("window.notReloaded") is True
    flyer.refresh_from_db()
    assert (flyer.status, flyer.completed_by_id) == (FollowUp.Status.DONE, librarian.pk)
    call.refresh_from_db()
    assert call.status == FollowUp.Status.OPEN
