"""The pipeline board in Chromium: dragging a card, the keyboard (one Tab stop a column, the
arrow keys within, skip links, moving a card), and "Show more"."""

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
    expect(page.locator("#announcer")).to_have_text(
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


# Each column's one Tab stop: {stage: the text of the item in the Tab order}.
TAB_STOPS = """() => Object.fromEntries(
    [...document.querySelectorAll('.board-column')]
        .map(column => [column.dataset.stage,
                        [...column.querySelectorAll('[tabindex="0"]')].map(e => e.textContent)])
        .filter(([stage, stops]) => stops.length))"""


def test_tab_goes_from_column_to_column_and_reaches_the_last_one_in_a_few_presses(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    for stage in Stage.values:
        staggered(BOARD_PAGE_SIZE + 1 if stage == Stage.CONTACTED else 3, stage)
    log_in(librarian)
    page.goto(BOARD)
    declined = page.locator("#cards-declined > li").first.locator(".board-card-name")

    presses, after_filter = 0, None
    while presses < 100 and not page.evaluate(
        "document.activeElement.matches('#column-declined .board-card-name')"
    ):
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.textContent.trim() === 'Filter'"):
            after_filter = presses
    expect(declined).to_be_focused()
    assert after_filter is not None
    # The page's menu and filters, "Save this view…" (no saved view yet), a skip link per
    # column, then one stop per column (not one per card, "Move to…" and "Show more": it took
    # 94 presses on the demo data before).
    assert presses - after_filter == 1 + 7 + 7, presses
    assert presses <= 40

    # A skip link gets there at once.
    page.goto(BOARD)
    skip_links = page.locator("#board-stages ul")
    assert skip_links.bounding_box()["width"] <= 1  # shown only while one has focus
    skip = page.get_by_role("link", name="Skip to Declined")
    skip.focus()
    assert skip_links.bounding_box()["width"] > 600
    page.keyboard.press("Enter")
    expect(declined).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back to Dormant's card, not Declined's skip link
    expect(page.locator("#cards-dormant > li").first.locator(".board-card-name")).to_be_focused()
    # "Show more" is reached with the arrow keys, below the column's last card.
    page.locator("#cards-contacted .board-card-name").first.focus()
    page.keyboard.press("End")
    expect(page.get_by_role("link", name="Show more in Contacted")).to_be_focused()
    assert page.evaluate(TAB_STOPS)["contacted"] == ["Show more in Contacted"]


def test_moving_a_card_with_the_keyboard_only(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    researching = staggered(2, Stage.RESEARCHING)
    library = OrganizationFactory(name="Riverside Public Library", stage=Stage.IDENTIFIED)
    school = OrganizationFactory(name="Riverside Middle School", stage=Stage.IDENTIFIED)
    log_in(librarian)
    page.goto(BOARD)
    page.evaluate("window.notReloaded = true")
    first = page.locator(f"#card-{school.pk} .board-card-name")  # the most recently moved
    second = page.locator(f"#card-{library.pk} .board-card-name")

    first.focus()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    page.keyboard.press("ArrowRight")  # the card at the same height in the next column
    expect(page.locator(f"#card-{researching[0].pk} .board-card-name")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(second).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()

    # M opens the card's "Move to…" at its list of stages; Escape closes it.
    card = page.locator(f"#card-{school.pk}")
    page.keyboard.press("m")
    stage = card.get_by_label("New stage")
    expect(stage).to_be_focused()
    page.keyboard.press("Escape")
    expect(first).to_be_focused()
    expect(stage).to_be_hidden()
    page.keyboard.press("m")
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
    expect(page.locator("#count-identified")).to_have_text("1")
    expect(page.get_by_role("link", name="Skip to Identified")).to_contain_text("Identified 1")
    expect(page.locator("#announcer")).to_contain_text("moved to “Active partner”")
    # Still one Tab stop a column: the moved card in its new one, the card left in the old.
    assert page.evaluate(TAB_STOPS) == {
        "identified": ["Riverside Public Library"],
        "researching": [researching[0].name],
        "active": ["Riverside Middle School"],
    }
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
