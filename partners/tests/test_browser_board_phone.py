"""The pipeline board on a phone (375 px wide), with and without JavaScript: one stage at a
time, chosen with the stage links, and nothing wider than the screen; and axe-core on the board."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from partners.tests.test_board import BOARD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
PAGE_WIDTH = "document.documentElement.scrollWidth"


def shown_columns(page: Page) -> list[str]:
    return [stage for stage in Stage.values if page.locator(f"#column-{stage}").is_visible()]


@pytest.fixture
def partners():
    long_name = "Riverside County Department of Public Health and Human Services, Eastside Office"
    return {
        "county": OrganizationFactory(name=long_name, stage=Stage.IDENTIFIED),
        "clinic": OrganizationFactory(name="Eastside Community Clinic", stage=Stage.CONTACTED),
        "school": OrganizationFactory(name="Riverside Middle School", stage=Stage.DECLINED),
    }


def test_a_phone_shows_one_stage_at_a_time_chosen_with_the_stage_links(page, log_in, partners):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    log_in(librarian)
    page.set_viewport_size(PHONE)
    page.goto(BOARD)
    stages = page.get_by_role("navigation", name="Stages")

    assert shown_columns(page) == ["identified"]
    assert page.evaluate(PAGE_WIDTH) <= 375
    expect(stages.get_by_role("link", name="Identified")).to_have_attribute("aria-current", "true")

    page.evaluate("window.notReloaded = true")
    stages.get_by_role("link", name="Contacted").click()
    assert shown_columns(page) == ["contacted"]
    expect(page.locator("#column-contacted-title")).to_be_focused()
    expect(stages.get_by_role("link", name="Contacted")).to_have_attribute("aria-current", "true")
    expect(stages.get_by_role("link", name="Identified")).not_to_have_attribute(
        "aria-current", "true"
    )
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate(PAGE_WIDTH) <= 375

    # A move takes the card out of sight; the keyboard stays in the column it left.
    card = page.locator(f"#card-{partners['clinic'].pk}")
    card.locator(".board-card-name").focus()
    page.keyboard.press("m")
    card.get_by_label("New stage").select_option("in_discussion")
    card.get_by_role("button", name="Move").click()
    expect(page.locator("#announcer")).to_contain_text("moved to “In discussion”")
    expect(page.locator("#column-contacted-title")).to_be_focused()
    expect(stages.get_by_role("link", name="In discussion")).to_contain_text("In discussion 1")
    # The arrow keys go on to the next stage with cards, and show it.
    stages.get_by_role("link", name="In discussion").click()
    page.locator(f"#card-{partners['clinic'].pk} .board-card-name").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#card-{partners['school'].pk} .board-card-name")).to_be_focused()
    assert shown_columns(page) == ["declined"]

    # The stage shown stays through a reload and a change of filters.
    page.reload()
    assert shown_columns(page) == ["declined"]
    page.get_by_label("Kind").select_option("school")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile("kind=school"))
    assert shown_columns(page) == ["declined"]


def test_without_javascript_the_stage_links_reload_the_board_at_that_stage(
    browser, live_server, partners
):
    UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("librarian")
        page.get_by_label("Password").fill("liaison-test")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        page.goto(BOARD)
        assert shown_columns(page) == ["identified"]
        assert page.evaluate(PAGE_WIDTH) <= 375

        page.get_by_role("navigation", name="Stages").get_by_role("link", name="Declined").click()
        page.wait_for_url(re.compile(r"/pipeline/\?stage=declined#column-declined$"))
        assert shown_columns(page) == ["declined"]
        expect(page.get_by_role("link", name="Riverside Middle School")).to_be_visible()
        assert page.evaluate(PAGE_WIDTH) <= 375
    finally:
        context.close()


def test_the_board_has_no_serious_axe_violations_wide_with_skip_links_shown_and_on_a_phone(
    page, log_in, partners
):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    log_in(librarian)
    page.goto(BOARD)
    page.get_by_role("link", name="Skip to Contacted").focus()
    problems = violations(page, "Board, skip links shown")
    page.locator(f"#card-{partners['county'].pk} .board-card-name").focus()
    page.keyboard.press("m")
    problems += violations(page, "Board, a card's Move to… open")
    page.set_viewport_size(PHONE)
    page.goto(f"{BOARD}?stage=contacted")
    problems += violations(page, "Board on a phone")
    assert not problems, "\n".join(problems)
