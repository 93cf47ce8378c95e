"""The Content-Security-Policy in Chromium: no page breaks it, and what moved to static JS works.

Every page a librarian and a manager reach is visited with the demo data: every named URL that
answers their GET with an HTML page (config/tests/routes.py), the accessibility check's pages,
and pages a crawl cannot find (impact summaries, a sent progress update, an email with its HTML
version). A violation is caught twice: by Chromium's console message ("… violates the following
Content Security Policy directive …") and by a `securitypolicyviolation` listener added to every
document before its own scripts run. The data is loaded once and the pages are visited in one
test, because a transactional test flushes the database after each test.
"""

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from config.tests.routes import ROUTES, concrete
from core import roles
from core.tests.factories import UserFactory
from mail.models import OutgoingEmail
from outreach.models import Meeting, Touchpoint
from partners.models import Contact, Organization
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.models import Program
from updates import services as update_services
from updates.models import ProgressUpdate
from updates.unsubscribe import unsubscribe_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "liaison-demo"

# Added to every document before its own scripts; reports to the test through a binding.
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"}` +
    ` in ${event.documentURI} at ${event.sourceFile || "?"}:${event.lineNumber}` +
    ` sample=${JSON.stringify(event.sample)}`
  );
});
"""

# The email's own look: the inline style on templates/emails/base-body.html's <body>.
EMAIL_BACKGROUND = "rgb(244, 245, 247)"

Pages = list[tuple[str, str]]


class Violations:
    """Every CSP violation seen since the last `take`, from the console and from the listener."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: list[str] = []
        page.context.expose_binding("reportCspViolation", self._from_listener)
        page.context.add_init_script(LISTENER)
        page.on("console", self._from_console)

    def _from_listener(self, source: dict[str, Any], text: str) -> None:
        self.seen.append(f"listener: {text}")

    def _from_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.seen.append(f"console: {message.text} ({message.location.get('url')})")

    def take(self, where: str) -> list[str]:
        # A violation event is a queued task: give it time to reach the listener.
        self.page.wait_for_timeout(50)
        found, self.seen = self.seen, []
        return [f"{where}: {text}" for text in found]


def log_in_demo(page: Page, log_in: Callable[[User, str], None], username: str) -> User:
    page.context.clear_cookies()
    user = User.objects.get(username=username)
    log_in(user, DEMO_PASSWORD)
    return user


def test_no_page_breaks_the_content_security_policy(page, log_in, demo):
    violations = Violations(page)
    _the_detector_sees_a_planted_violation(page, violations)
    problems = _visit(page, violations, _logged_out_pages())

    log_in_demo(page, log_in, "librarian")
    librarian_pages = _accessibility_pages() + _html_routes(page, demo)
    problems += _visit(page, violations, librarian_pages)

    manager = log_in_demo(page, log_in, "manager")
    manager_pages = _html_routes(page, demo) + _pages_a_crawl_cannot_find(manager)
    assert {"reports:index", "mail:delivery_log", "transfer:import_list"} <= {
        name for name, _path in manager_pages
    }
    problems += _visit(page, violations, manager_pages)

    assert not problems, f"{len(problems)} CSP violation(s):\n" + "\n".join(problems)


def _the_detector_sees_a_planted_violation(page: Page, violations: Violations) -> None:
    """A style attribute added on purpose is reported both ways: silence means no violation."""
    page.goto(reverse("login"))
    assert not violations.take("login")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    caught = violations.take("planted")
    assert any(text.startswith("planted: listener: style-src-attr") for text in caught), caught
    assert any(text.startswith("planted: console:") for text in caught), caught
    # And in a srcdoc frame, which takes the page's policy (why email previews have their own URL).
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend',"
        " '<iframe sandbox srcdoc=\"<p style=&quot;color: red&quot;>x</p>\"></iframe>')"
    )
    page.wait_for_timeout(200)
    caught = violations.take("planted in a frame")
    assert any("console:" in text and "style" in text for text in caught), caught


def _visit(page: Page, violations: Violations, pages: Pages) -> list[str]:
    problems = []
    for name, path in dict.fromkeys(pages):
        response = page.goto(path)  # waits for "load": frames and deferred scripts included
        assert response and response.ok, f"{name}: {path} answered {response and response.status}"
        problems += violations.take(f"{name} ({path})")
    return problems


def _logged_out_pages() -> Pages:
    partner = Contact.objects.exclude(email="").order_by("pk").first()
    assert partner is not None
    return [
        ("Login", reverse("login")),
        ("Password reset", reverse("password_reset")),
        ("Password reset sent", reverse("password_reset_done")),
        ("Unsubscribe", reverse("updates:unsubscribe", args=[unsubscribe_token(partner)])),
    ]


def _accessibility_pages() -> Pages:
    """The accessibility check's page list, wherever it lives now (it may be renamed)."""
    for module in ("config.tests.test_browser_accessibility", "config.tests.test_accessibility"):
        try:
            pages = importlib.import_module(module)._pages
        except (ImportError, AttributeError):
            continue
        return list(pages())
    return []  # the crawl below still finds every page


def _html_routes(page: Page, demo: dict[str, Any]) -> Pages:
    """Every named URL (but logging out) that answers the logged-in user's GET with a page."""
    pages = []
    for name, route in ROUTES:
        if name == "logout":
            continue
        path = concrete(route, demo)
        response = page.request.get(path, max_redirects=0)
        if response.status == 200 and response.headers["content-type"].startswith("text/html"):
            pages.append((name, path))
    assert len(pages) > 30, pages  # the crawl saw the site, not a login page
    return pages


def _pages_a_crawl_cannot_find(manager: User) -> Pages:
    organization = Organization.objects.filter(touchpoints__isnull=False).order_by("pk").first()
    program = Program.objects.filter(sessions__isnull=False).order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    touchpoint = Touchpoint.objects.order_by("-pk").first()
    contact = Contact.objects.order_by("pk").first()
    assert organization and program and meeting and touchpoint and contact
    sent = _a_sent_progress_update(manager)
    email = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.PROGRESS_UPDATE).first()
    assert email and email.body_html
    impact, log = reverse("programs:impact_summary"), reverse("mail:delivery_log")
    return [
        ("Organization", organization.get_absolute_url()),
        ("Contact", contact.get_absolute_url()),
        ("Program", program.get_absolute_url()),
        ("Meeting", meeting.get_absolute_url()),
        ("Touchpoint", reverse("outreach:touchpoint_detail", args=[touchpoint.pk])),
        ("Impact of a program", f"{impact}?program={program.pk}"),
        ("Impact of an organization", f"{impact}?organization={organization.pk}"),
        ("Meeting calendar, mine", reverse("outreach:meeting_calendar") + "?who=mine"),
        ("Sent progress update", sent.get_absolute_url()),
        ("Delivery log, progress updates", f"{log}?kind={OutgoingEmail.Kind.PROGRESS_UPDATE}"),
        ("Email with an HTML version", reverse("mail:email_detail", args=[email.pk])),
        ("The HTML version alone", reverse("mail:email_html", args=[email.pk])),
    ]


def _a_sent_progress_update(manager: User) -> ProgressUpdate:
    """A demo draft approved, for real partner emails with their HTML versions."""
    for draft in ProgressUpdate.objects.filter(status=ProgressUpdate.Status.DRAFT).order_by("pk"):
        try:
            update_services.progress_update_send(update=draft, by=manager)
        except ValidationError:  # nobody to send it to: the next one
            continue
        return draft
    raise AssertionError("no demo draft could be sent")


# What moved out of inline script and hx-on still works under the policy ------------------------


def test_the_impact_summary_prints_from_its_button(page, log_in, demo):
    violations = Violations(page)
    log_in_demo(page, log_in, "librarian")
    program = Program.objects.filter(sessions__isnull=False).order_by("pk").first()
    assert program is not None
    # No print dialog in a test: count the calls instead.
    page.context.add_init_script(
        "window.print = () => { window.printed = (window.printed || 0) + 1; };"
    )

    page.goto(f"{reverse('programs:impact_summary')}?program={program.pk}")

    button = page.get_by_role("button", name="Print")
    expect(button).to_be_visible()  # hidden in the markup, shown by static/js/print_button.js
    button.click()
    assert page.evaluate("window.printed") == 1
    assert page.locator("script:not([src])").count() == 0
    assert not violations.take("impact summary")


def test_a_partner_match_fills_the_box_on_the_program_form(page, log_in, demo):
    violations = Violations(page)
    log_in_demo(page, log_in, "librarian")
    lantern = OrganizationFactory(name="Zephyr Lantern Cooperative")

    page.goto(reverse("programs:program_create"))
    page.get_by_role("button", name="Add a partner").click()  # a row copied by static/js
    box = page.locator("#id_partners-0-organization")
    box.fill("zephyr lant")
    matches = page.locator("#partners-0-matches")
    matches.get_by_role("button", name=lantern.name).click()

    expect(box).to_have_value(f"{lantern.name} (#{lantern.pk})")
    expect(box).to_be_focused()
    expect(matches).to_be_empty()
    assert page.locator("[hx-on], [data-hx-on]").count() == 0
    assert not violations.take("program form")


def test_htmx_works_without_eval_and_without_injecting_styles(page, log_in, demo):
    violations = Violations(page)
    log_in_demo(page, log_in, "librarian")
    organization = (
        Organization.objects.filter(is_archived=False, affiliations__isnull=False)
        .order_by("pk")
        .first()
    )
    assert organization is not None

    page.goto(organization.get_absolute_url())
    assert page.locator("head style").count() == 0
    expect(page.locator("#quick-log .htmx-indicator")).to_be_hidden()  # static/css hides it
    page.goto(reverse("partners:organization_list"))
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as answer:
        page.get_by_label("Search by name or contact").fill(organization.name)
    assert answer.value.ok
    expect(page.locator("#results")).to_contain_text(organization.name)
    assert not violations.take("htmx")


def test_the_email_previews_keep_their_inline_styles(page, log_in, demo):
    violations = Violations(page)
    manager = log_in_demo(page, log_in, "manager")
    draft = ProgressUpdate.objects.filter(status=ProgressUpdate.Status.DRAFT).first()
    assert draft is not None

    # A draft's preview follows what is typed, with the email's own looks.
    page.goto(draft.get_absolute_url())
    preview = page.frame_locator("#progress-preview iframe")
    expect(preview.locator("body")).to_have_css("background-color", EMAIL_BACKGROUND)
    page.get_by_label("Your message").fill("Words typed just now, not saved.")
    expect(preview.locator("body")).to_contain_text("Words typed just now, not saved.")
    expect(preview.locator("body")).to_have_css("background-color", EMAIL_BACKGROUND)
    draft.refresh_from_db()
    assert draft.message != "Words typed just now, not saved."

    # Sent, its emails are in the delivery log, whose email page frames the HTML version.
    update_services.progress_update_send(update=draft, by=manager)
    email = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.PROGRESS_UPDATE).first()
    assert email is not None
    page.goto(reverse("mail:email_detail", args=[email.pk]))
    frame = page.frame_locator("iframe[title='HTML version of the email']")
    expect(frame.locator("body")).to_have_css("background-color", EMAIL_BACKGROUND)
    assert not violations.take("email previews")


def test_the_admin_keeps_to_the_policy_too(page, log_in):
    """Django's admin is for the Admin role only, but the policy covers it as well."""
    violations = Violations(page)
    admin = UserFactory(username="ada", role=roles.ADMIN)
    contact = AffiliationFactory(organization=OrganizationFactory(name="Eastside Clinic")).contact
    organization = contact.affiliations.get().organization
    log_in(admin)

    problems = _visit(
        page,
        violations,
        [
            ("Admin", reverse("admin:index")),
            ("Users", reverse("admin:auth_user_changelist")),
            ("A user", reverse("admin:auth_user_change", args=[admin.pk])),
            ("Organizations", reverse("admin:partners_organization_changelist")),
            (
                "An organization",
                reverse("admin:partners_organization_change", args=[organization.pk]),
            ),
            ("A contact", reverse("admin:partners_contact_change", args=[contact.pk])),
        ],
    )

    assert not problems, "\n".join(problems)
