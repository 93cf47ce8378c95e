"""A librarian starting with a new clinic applies "New health partner" from its page, does the
first step, and sees the next one scheduled; later she stops the playbook."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from outreach.models import FollowUp
from partners.models import Organization
from partners.tests.factories import OrganizationFactory
from playbooks.models import Playbook, PlaybookRun, PlaybookStep
from playbooks.shipped import playbooks_ship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Research their services and the populations they serve"


@pytest.fixture
def clinic():
    # Made by migration: gone from a transactional test's flushed database.
    playbooks_ship(Playbook, PlaybookStep)
    rosa = UserFactory(username="rosa", first_name="Rosa", last_name="Díaz", role="Librarian")
    return OrganizationFactory(
        name="Eastside Community Clinic", kind=Organization.Kind.HEALTH, owner=rosa
    )


def test_apply_new_health_partner_do_the_first_step_and_see_the_next(page, log_in, clinic):
    log_in(clinic.owner)
    page.goto(clinic.get_absolute_url())
    section = page.locator("section[aria-labelledby=playbooks-heading]")
    section.get_by_text("Apply a playbook…").click()
    # Those for health organizations come first.
    section.get_by_label("Playbook").select_option(label="New health partner")
    expect(section.get_by_label("Start date")).to_have_value(timezone.localdate().isoformat())
    section.get_by_role("button", name="Apply").click()

    expect(page.get_by_role("status").first).to_contain_text("“New health partner” started")
    section = page.locator("section[aria-labelledby=playbooks-heading]")
    steps = section.locator("li.playbook-step")
    expect(steps.nth(0)).to_contain_text(FIRST)
    expect(steps.nth(1)).to_contain_text("Phone call · waiting for step 1, then 2 days")
    assert violations(page, "organization page with a playbook running") == []

    # Done, from the organization's open follow-ups (as from anywhere else).
    followups = page.locator("section[aria-labelledby=followups-heading]")
    first = FollowUp.objects.get(title=FIRST)
    followups.locator(f"#followup-{first.pk}").get_by_role("button", name="Done").click()
    due = timezone.localdate() + dt.timedelta(days=2)
    expect(steps.nth(0)).to_contain_text("✓ Done")
    expect(steps.nth(1)).to_contain_text(f"Phone call · due {due:%b} {due.day}, Rosa Díaz")
    expect(followups).to_contain_text("Phone call")
    assert FollowUp.objects.get(title="Phone call").due_on == due

    # Stopped: the call is cancelled, and the section says who stopped it and why.
    section.get_by_role("link", name="Stop playbook New health partner").click()
    page.get_by_label("Why stop it?").fill("They chose the county's program instead.")
    assert violations(page, "stop a playbook") == []
    page.get_by_role("button", name="Stop the playbook").click()
    expect(section).to_contain_text("stopped")
    expect(section).to_contain_text("They chose the county's program instead.")
    assert FollowUp.objects.get(title="Phone call").status == FollowUp.Status.CANCELLED
    assert PlaybookRun.objects.get().stopped_by == clinic.owner
