"""Every control shows where the keyboard is, and is big enough to hit (WCAG 2.2 AA: 2.4.7
focus visible, 2.5.8 target size), checked in Chromium on the pages a librarian uses most."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.tests.factories import UserFactory
from core.tests.keyboard import focus_is_on, focus_ring, press_until
from outreach.models import Meeting
from outreach.services import followup_create
from outreach.tests.factories import TouchpointFactory
from partners.models import Organization
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory
from programs.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A button looks the same focused as at rest (Bootstrap painted it in its hover colours, which
# made a grey outline button look pressed): its colours once any transition has run its course.
BUTTON_FACES = """() => [...document.querySelectorAll('.btn')].forEach(el => {
    el.getAnimations().forEach(a => a.finish());
    const style = getComputedStyle(el);
    el.dataset.faceAtRest = style.backgroundColor + ' ' + style.borderColor;
})"""
PRESSED = """() => {
    const el = document.activeElement;
    if (!el.dataset.faceAtRest) return null;
    el.getAnimations().forEach(a => a.finish());
    const style = getComputedStyle(el);
    const face = style.backgroundColor + ' ' + style.borderColor;
    const before = el.dataset.faceAtRest;
    return face === before ? null : `${before} at rest, ${face} focused`;
}"""
# Where Tab went: "new", "same" (the next part of a date), "again" (round to the start), "body".
STOP = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    if (el === window.lastTabStop) return 'same';
    window.lastTabStop = el;
    if (el.dataset.tabbedTo) return 'again';
    el.dataset.tabbedTo = 'yes';
    return 'new';
}"""


def _tab_through(page: Page, name: str) -> list[str]:
    """Tab from the top of the page to its end: each stop's focus problems."""
    page.mouse.move(0, 0)  # hovering nothing but the corner
    page.evaluate(BUTTON_FACES)
    problems, stops = [], 0
    for _ in range(400):
        if (stop := _press_tab(page)) == "same":
            continue
        if stop != "new":
            break
        stops += 1
        ring = focus_ring(page)
        if not ring["shown"]:
            problems.append(f"{name}: {ring['name']}: {ring['why']}")
        if pressed := page.evaluate(PRESSED):
            problems.append(f"{name}: {ring['name']} looks pressed: {pressed}")
    else:
        raise AssertionError(f"{name}: still tabbing after 400 presses")
    assert stops > 10, f"{name}: only {stops} stops, then {stop}"
    return problems


def _press_tab(page: Page) -> str:
    page.keyboard.press("Tab")
    return page.evaluate(STOP)


def test_every_control_shows_a_focus_ring_when_the_keyboard_reaches_it(page, log_in):
    librarian = UserFactory(username="librarian", first_name="Rosa", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    for name in ("Dana Whitfield", "Lee Park"):
        AffiliationFactory(organization=clinic, contact=ContactFactory(name=name))
    TouchpointFactory(organization=clinic, subject="Called Dana about the health fair")
    TouchpointFactory.create_batch(25, organization=clinic)  # two pages of touchpoints
    today = timezone.localdate()
    for title, day in [("Send the flyer", today - dt.timedelta(days=1)), ("Call Dana", today)]:
        followup_create(
            organization=clinic, assignee=librarian, created_by=librarian, title=title, due_on=day
        )
    OrganizationFactory(name="County Health")
    log_in(librarian)

    problems = []
    # Each page, and a kind of control the walk must have reached on it.
    for name, path, reached in [
        ("Dashboard", "/", ".btn-success"),
        ("Organization page", clinic.get_absolute_url(), ".form-check-input"),
        ("Organization list", reverse("partners:organization_list"), "thead a"),
        ("Touchpoint list", reverse("outreach:touchpoint_list"), ".page-link"),
        ("Pipeline board", reverse("partners:board"), ".board-card-name"),
        ("Profile", reverse("profile"), "[type=radio]"),
    ]:
        page.goto(path)
        problems += _tab_through(page, name)
        assert page.locator(f"{reached}[data-tabbed-to]").count(), f"{name}: no {reached}"

    # A menu's items, reached with the arrow keys once Enter has opened it.
    page.goto("/")
    press_until(page, lambda: focus_is_on(page, page.locator("#new-menu")))
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    new_menu = page.get_by_role("list", name="New")
    expect(new_menu.get_by_role("link", name="Log a touchpoint")).to_be_focused()
    if not (ring := focus_ring(page))["shown"]:
        problems.append(f"New menu: {ring['name']}: {ring['why']}")
    # On a phone the menu folds into the toggler, and its links are on the dark bar.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    toggler = page.get_by_role("button", name="Toggle navigation")
    press_until(page, lambda: focus_is_on(page, toggler))
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Organizations", exact=True)).to_be_visible()
    problems += _tab_through(page, "Dashboard on a phone, menu open")
    assert not problems, "\n".join(problems)


# Each visible control (link, button, field, summary, or anything else in the Tab order)
# narrower or lower than 24 CSS px. A link inside a line of text is exempt (the spec's "inline"
# exception), unless it is a sortable column's heading.
UNDERSIZED = """() => {
    const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
        + '[tabindex]:not([tabindex="-1"])';
    return [...document.querySelectorAll(controls)].flatMap(el => {
        if (!el.checkVisibility({visibilityProperty: true})) return [];
        const box = el.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) return [];  // visually hidden until focused
        if (box.width >= 24 && box.height >= 24) return [];
        const inline = el.matches('a') && getComputedStyle(el).display === 'inline';
        if (inline && !el.closest('thead')) return [];
        const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
        return [`${el.outerHTML.slice(0, 80)} "${text.slice(0, 30)}": `
            + `${box.width.toFixed(1)}×${box.height.toFixed(1)} px`];
    });
}"""


def test_controls_are_at_least_24_px_wide_and_high_on_a_computer_and_a_phone(
    page, log_in, settings
):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    organization = (
        Organization.objects.annotate(n_contacts=Count("affiliations"))
        .filter(n_contacts__gt=1)
        .order_by("pk")
        .first()
    )
    program = (
        Program.objects.annotate(n_sessions=Count("sessions"))
        .filter(n_sessions__gt=0)
        .order_by("pk")
        .first()
    )
    meeting = Meeting.objects.order_by("pk").first()
    assert organization and program and meeting
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("manager")  # a manager's pages have the most controls
    page.get_by_label("Password").fill("liaison-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")

    problems = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in [
            ("Dashboard", "/"),
            ("Organization page", organization.get_absolute_url()),
            ("Organization list", reverse("partners:organization_list")),
            ("Pipeline board", reverse("partners:board")),
            ("Program page", program.get_absolute_url()),
            ("Meeting page", meeting.get_absolute_url()),
            ("New organization", reverse("partners:organization_create")),
            ("Profile", reverse("profile")),
            ("Pipeline report", reverse("reports:pipeline")),
        ]:
            page.goto(path)
            problems += [f"{name} at {width} px: {found}" for found in page.evaluate(UNDERSIZED)]
    assert not problems, f"{len(problems)} control(s) under 24 px:\n" + "\n".join(problems)
