"""This year's review of a partner, written from its page in Chromium, then seen in the partner's
Annual reviews section and in the managers' report."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from partners.models import Stage
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_librarian_writes_this_years_review_and_a_manager_sees_it_in_the_report(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    manager = UserFactory(username="manager", first_name="Marcus", role="Manager")
    partner = OrganizationFactory(name="Eastside Community Clinic", stage=Stage.ACTIVE)
    OrganizationFactory(name="Harlow School", stage=Stage.IN_DISCUSSION)
    year = timezone.localdate().year
    log_in(librarian)

    page.goto(partner.get_absolute_url())
    section = page.locator("section", has=page.get_by_role("heading", name="Annual reviews"))
    section.get_by_role("link", name="Write this year's review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Write the {year} review: Eastside Community Clinic"
    )
    page.get_by_label("What worked").fill("The health fair drew 300 people.")
    page.get_by_label("What did not work").fill("Flyers went out late.")
    page.get_by_label("4 – Satisfied").check()
    page.get_by_label("In the partner's own words").fill("A good year for our patients.")
    page.get_by_label("Goals for next year").fill("A Spanish-language series.")
    page.get_by_role("button", name="Save review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{year} review: Eastside Community Clinic"
    )
    expect(page.get_by_text("4 of 5 · Satisfied")).to_be_visible()
    page.get_by_role("link", name="Eastside Community Clinic").first.click()
    section = page.locator("section", has=page.get_by_role("heading", name="Annual reviews"))
    expect(section.get_by_role("link", name=f"Edit the {year} review")).to_be_visible()
    expect(section).to_contain_text("4 of 5 · Satisfied")

    page.context.clear_cookies()
    log_in(manager)
    page.goto("/reports/")
    page.get_by_role("link", name="Annual partnership reviews").click()
    coverage = page.locator("#table-coverage")
    expect(coverage.locator("tr", has_text="Reviewed for")).to_contain_text("1")
    expect(coverage.locator("tr", has_text="Average satisfaction")).to_contain_text("4.00")
    expect(page.locator("#table-not-reviewed")).to_contain_text("Harlow School")
    expect(page.locator("#table-reviews")).to_contain_text("The health fair drew 300 people.")
