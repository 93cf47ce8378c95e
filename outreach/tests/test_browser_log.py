"""A librarian's week in Liaison, clicked through in Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from outreach.models import FollowUp, Touchpoint
from outreach.services import followup_create
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_a_call_with_a_follow_up_then_mark_it_done_from_the_dashboard(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    AffiliationFactory(organization=clinic, contact=ContactFactory(name="Dana Whitfield"))
    log_in(librarian)

    page.goto(clinic.get_absolute_url())
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    quick_log = page.locator("#quick-log")
    quick_log.get_by_label("Channel").select_option(label="Phone call")
    quick_log.get_by_label("Subject").fill("Called Dana about the health fair")
    quick_log.get_by_label("Dana Whitfield").check()
    quick_log.get_by_label("Notes").fill("She will bring flu-shot flyers.")
    quick_log.get_by_label("Follow up", exact=True).select_option(label="In 1 week")
    quick_log.get_by_role("button", name="Log touchpoint").click()

    timeline = page.locator("#timeline-entries")
    expect(timeline.locator(".timeline-touchpoint").first).to_contain_text(
        "Called Dana about the health fair"
    )
    expect(timeline.locator(".timeline-followup_created").first).to_contain_text(
        "Follow up: Called Dana about the health fair"
    )
    due = timezone.localdate() + dt.timedelta(days=7)
    # Said in the live region; the open follow-ups beside the timeline show the new one; the
    # keyboard stays in the quick log, ready for the next one.
    expect(page.locator("#announcer")).to_have_text(
        f"Phone call logged; follow-up due {due:%b %-d}."
    )
    followups = page.locator("#panel-organization-followups")
    expect(followups).to_contain_text("Follow up: Called Dana about the health fair")
    expect(followups).not_to_contain_text("None.")
    expect(page.locator("#quick-log").get_by_label("Subject")).to_have_value("")
    expect(page.locator("#quick-log").get_by_label("Channel")).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    assert violations(page, "organization page after logging") == []

    followup = FollowUp.objects.get()
    assert (followup.due_on, followup.assignee_id) == (due, librarian.pk)
    assert Touchpoint.objects.get().contacts.get().name == "Dana Whitfield"

    page.get_by_role("link", name="Dashboard").click()
    row = page.locator(f"#followup-{followup.pk}")
    expect(row).to_contain_text("Follow up: Called Dana about the health fair")
    expect(page.locator("#panel-my-followups")).to_contain_text("All 1 open follow-up")
    page.evaluate("window.notReloaded = true")
    row.get_by_role("button", name="Done").click()
    # The panel is fetched again: the row and the counts go; focus and the news stay.
    expect(page.locator("#announcer")).to_have_text(
        "Done: Follow up: Called Dana about the health fair."
    )
    expect(row).to_have_count(0)
    expect(page.locator("#panel-my-followups")).to_contain_text("All 0 open follow-ups")
    expect(page.locator("body")).not_to_be_focused()
    assert violations(page, "dashboard after Done") == []
    assert page.evaluate("window.notReloaded") is True
    followup.refresh_from_db()
    assert followup.status == "done" and followup.completed_by_id == librarian.pk


def test_snoozing_an_overdue_follow_up_moves_it_out_of_overdue_in_place(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    today = timezone.localdate()
    late, _other = (
        followup_create(
            organization=clinic, assignee=librarian, created_by=librarian, title=title, due_on=day
        )
        for title, day in [
            ("Send the flyer", today - dt.timedelta(days=2)),
            ("Call Dana", today - dt.timedelta(days=1)),
        ]
    )
    log_in(librarian)
    page.goto("/")
    panel = page.locator("#panel-my-followups")
    expect(panel).to_contain_text("Overdue (2)")
    page.evaluate("window.notReloaded = true")

    row = page.locator(f"#followup-{late.pk}")
    row.get_by_role("button", name="More actions: Send the flyer").click()
    row.get_by_role("button", name="Snooze 1 week").click()

    week = today + dt.timedelta(days=7)
    expect(page.locator("#announcer")).to_have_text(
        f"“Send the flyer” is now due {week:%a %b %-d}."
    )
    expect(panel).to_contain_text("Overdue (1)")
    expect(page.locator("body")).not_to_be_focused()
    assert violations(page, "dashboard after snoozing") == []
    assert page.evaluate("window.notReloaded") is True
