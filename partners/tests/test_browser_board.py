"""The pipeline board in Chromium: dragging a card, moving one with the keyboard only, and
"Show more"."""

import pytest
from playwright.sync_api import expect

from core.tests.factories import UserFactory
from partners.models import Stage
from partners.selectors import BOARD_PAGE_SIZE
from partners.tests.factories import OrganizationFactory
from partners.tests.test_board import BOARD, staggered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dragging_a_card_asks_for_a_note_and_records_one_stage_change(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic", stage=Stage.CONTACTED)
    OrganizationFactory(name="County Health", stage=Stage.IN_DISCUSSION)
    log_in(librarian)
    page.goto(BOARD)
    page.evaluate("window.notReloaded = true")
    card = page.locator(f"#card-{clinic.pk}")
    target = page.locator("#column-in_discussion")
    dialog = page.locator("#move-dialog")

    # Cancel puts the card back and records nothing.
    card.drag_to(target)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Move Eastside Community Clinic to “In discussion”")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#column-contacted #card-{clinic.pk}")).to_be_visible()
    assert clinic.stage_changes.count() == 1

    card.drag_to(target)
    dialog.get_by_label("Note (optional)").fill("Agreed to a pilot reading program.")
    dialog.get_by_role("button", name="Move").click()

    expect(page.locator(f"#column-in_discussion #card-{clinic.pk}")).to_be_visible()
    expect(page.locator("#count-in_discussion")).to_have_text("2")
    expect(page.locator("#count-contacted")).to_have_text("0")
    expect(page.locator("#column-contacted .board-empty")).to_be_visible()
    expect(page.locator("#board-status")).to_have_text(
        "Eastside Community Clinic moved to “In discussion”."
    )
    assert page.evaluate("window.notReloaded") is True
    change = clinic.stage_changes.exclude(from_stage="").get()
    assert (change.from_stage, change.to_stage, change.note, change.changed_by) == (
        "contacted",
        "in_discussion",
        "Agreed to a pilot reading program.",
        librarian,
    )


def test_moving_a_card_with_the_keyboard_only(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    school = OrganizationFactory(name="Riverside Middle School", stage=Stage.IDENTIFIED)
    log_in(librarian)
    page.goto(BOARD)
    page.evaluate("window.notReloaded = true")
    card = page.locator(f"#card-{school.pk}")

    card.get_by_role("link", name="Riverside Middle School").focus()
    page.keyboard.press("Tab")
    expect(card.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    stage = card.get_by_label("New stage")
    expect(stage).to_be_focused()
    for _ in range(4):  # Researching, Contacted, In discussion, Active partner
        page.keyboard.press("ArrowDown")
    expect(stage).to_have_value("active")
    page.keyboard.press("Tab")
    page.keyboard.type("Signed the partnership letter.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    moved = page.locator(f"#column-active #card-{school.pk}")
    expect(moved).to_be_visible()
    expect(moved.get_by_role("link", name="Riverside Middle School")).to_be_focused()
    expect(page.locator("#count-active")).to_have_text("1")
    expect(page.locator("#count-identified")).to_have_text("0")
    expect(page.locator("#board-status")).to_contain_text("moved to “Active partner”")
    assert page.evaluate("window.notReloaded") is True
    change = school.stage_changes.exclude(from_stage="").get()
    assert (change.to_stage, change.note) == ("active", "Signed the partnership letter.")


def test_show_more_adds_the_next_cards_which_move_like_the_others(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    made = staggered(BOARD_PAGE_SIZE + 2, Stage.CONTACTED)
    oldest = made[0]
    log_in(librarian)
    page.goto(BOARD)
    page.evaluate("window.notReloaded = true")
    cards = page.locator("#cards-contacted > li")
    expect(cards).to_have_count(BOARD_PAGE_SIZE)
    expect(page.locator("#count-contacted")).to_have_text(str(BOARD_PAGE_SIZE + 2))

    page.get_by_role("link", name="Show more in Contacted").click()

    expect(cards).to_have_count(BOARD_PAGE_SIZE + 2)
    expect(page.get_by_role("link", name="Show more in Contacted")).to_have_count(0)
    expect(cards.nth(BOARD_PAGE_SIZE).locator(".board-card-name")).to_be_focused()
    card = page.locator(f"#card-{oldest.pk}")
    card.locator("summary").click()
    card.get_by_label("New stage").select_option("active")
    card.get_by_role("button", name="Move").click()
    expect(page.locator(f"#column-active #card-{oldest.pk}")).to_be_visible()
    expect(page.locator("#count-contacted")).to_have_text(str(BOARD_PAGE_SIZE + 1))
    assert page.evaluate("window.notReloaded") is True
    assert oldest.stage_changes.exclude(from_stage="").get().to_stage == "active"
