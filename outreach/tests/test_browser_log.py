"""A librarian's week in Liaison, clicked through in Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from outreach.models import FollowUp, Touchpoint
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
    expect(page.locator("#quick-log-status")).to_contain_text("Logged")
    expect(page.locator("#quick-log").get_by_label("Subject")).to_have_value("")
    assert page.evaluate("window.notReloaded") is True

    due = timezone.localdate() + dt.timedelta(days=7)
    followup = FollowUp.objects.get()
    assert (followup.due_on, followup.assignee_id) == (due, librarian.pk)
    assert Touchpoint.objects.get().contacts.get().name == "Dana Whitfield"

    page.get_by_role("link", name="Dashboard").click()
    row = page.locator(f"#followup-{followup.pk}")
    expect(row).to_contain_text("Follow up: Called Dana about the health fair")
    page.evaluate("window.notReloaded = true")
    row.get_by_role("button", name="Done").click()
    expect(row.locator(".badge")).to_have_text("Done")
    assert page.evaluate("window.notReloaded") is True
    followup.refresh_from_db()
    assert followup.status == "done" and followup.completed_by_id == librarian.pk
