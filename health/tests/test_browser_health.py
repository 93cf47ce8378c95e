"""A manager's Monday: the partnerships at risk and why, then a partner's page; a librarian logs
the call the next step asked for, and the partnership is healthy again."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from health.services import health_refresh
from outreach.tests.factories import TouchpointFactory
from partners.models import Stage
from partners.tests.factories import AffiliationFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def test_a_manager_sees_what_is_at_risk_and_why_and_the_next_step_clears_it(page, log_in):
    manager = UserFactory(username="manager", first_name="Maria", role="Manager")
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    today = timezone.localdate()
    quiet = OrganizationFactory(
        name="Harlow Springs Interfaith Alliance", stage=Stage.ACTIVE, owner=librarian,
        stage_changed_at=LONG_AGO,
    )  # fmt: skip
    AffiliationFactory(organization=quiet, is_primary=True, contact__name="Rafael Vasquez")
    TouchpointFactory(organization=quiet, occurred_on=today - dt.timedelta(days=100))
    fine = OrganizationFactory(name="Riverside Clinic", stage=Stage.ACTIVE)
    AffiliationFactory(organization=fine, is_primary=True)
    TouchpointFactory(organization=fine, occurred_on=today)
    health_refresh()

    log_in(manager)
    page.goto("/health/")
    row = page.get_by_role("row").filter(has_text="Harlow Springs Interfaith Alliance")
    expect(row).to_contain_text("At risk")
    expect(row).to_contain_text("No two-way contact in 14 weeks (cadence every 6 weeks)")
    expect(row).to_contain_text("Call or meet Rafael Vasquez")
    expect(page.get_by_role("row").filter(has_text="Riverside Clinic")).to_have_count(0)
    assert violations(page, "partnership health") == []

    # The librarian logs the call from the partner's page: healthy again, at once.
    page.context.clear_cookies()
    log_in(librarian)
    page.goto(quiet.get_absolute_url())
    section = page.locator("section[aria-labelledby=health-heading]")
    expect(section).to_contain_text("At risk")
    expect(section).to_contain_text("Next step: Call or meet Rafael Vasquez")
    form = page.locator("form").filter(has=page.get_by_label("Subject"))
    form.get_by_label("Subject").fill("Caught up with Rafael about the spring push")
    form.get_by_role("button", name="Log touchpoint").click()
    expect(page.get_by_text("Caught up with Rafael about the spring push").first).to_be_visible()
    page.goto("/health/?level=all")
    expect(
        page.get_by_role("row").filter(has_text="Harlow Springs Interfaith Alliance")
    ).to_contain_text("Healthy")
    page.goto(quiet.get_absolute_url())
    expect(section).to_contain_text("Nothing needs care")
