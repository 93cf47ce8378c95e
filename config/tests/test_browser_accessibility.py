"""Every page a librarian uses, checked with axe-core in Chromium: no serious or critical issues.

axe-core is vendored under core/tests/vendor (a test asset, never served), so the check needs no
network. The demo data set is loaded once and the pages are visited in one test, because a
transactional test flushes the database after each test.
"""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from agreements.models import Agreement
from compose.models import GroupEmail
from core.dates import FIRST_YEAR
from core.tests.axe import violations as _violations
from documents.models import Document
from inbox.models import CapturedEmail
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Contact, FocusArea, Organization
from programs.models import Program
from reports.views import REPORTS
from reviews.models import PartnershipReview
from updates.models import ProgressUpdate
from updates.unsubscribe import unsubscribe_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages() -> list[tuple[str, str]]:
    """(name, path) for each page to check, picked from the demo data."""
    organization = (
        Organization.objects.filter(is_archived=False)
        .annotate(
            n_contacts=Count("affiliations", distinct=True),
            n_touchpoints=Count("touchpoints", distinct=True),
        )
        .filter(n_contacts__gt=0, n_touchpoints__gt=0)
        .order_by("-n_touchpoints", "pk")
        .first()
    )
    assert organization, "seed_demo made no organization with contacts and touchpoints"
    contact = Contact.objects.filter(affiliations__organization=organization).order_by("pk").first()
    touchpoint = Touchpoint.objects.filter(organization=organization).order_by("-pk").first()
    meeting = (
        Meeting.objects.annotate(n_contacts=Count("contacts"))
        .filter(n_contacts__gt=0)
        .order_by("pk")
        .first()
    )
    program = (
        Program.objects.exclude(kind=Program.Kind.GRANT)
        .annotate(n_outcomes=Count("outcomes"))
        .filter(n_outcomes__gt=0)
        .order_by("pk")
        .first()
    )
    grant_program = (
        Program.objects.filter(kind=Program.Kind.GRANT, grant__isnull=False).order_by("pk").first()
    )
    draft = ProgressUpdate.objects.filter(status=ProgressUpdate.Status.DRAFT).first()
    unfiled = CapturedEmail.objects.unfiled().first()
    captured = Touchpoint.objects.filter(captured_email__isnull=False).order_by("pk").first()
    assert contact and touchpoint and meeting and program and grant_program and draft
    assert unfiled and captured, "seed_demo captured no email"
    group_email = GroupEmail.objects.order_by("pk").first()
    sent = Touchpoint.objects.filter(sent_email__isnull=False).order_by("pk").first()
    review = PartnershipReview.objects.order_by("pk").first()
    assert review is not None, "seed_demo made no annual review"
    assert group_email and sent, "seed_demo sent no group email"
    return [
        ("Dashboard", reverse("home")),
        ("Organization list", reverse("partners:organization_list")),
        ("Pipeline board", reverse("partners:board")),
        ("Organization detail", organization.get_absolute_url()),
        ("Organization history", reverse("partners:organization_history", args=[organization.pk])),
        ("Organization create form", reverse("partners:organization_create")),
        ("Contact list", reverse("partners:contact_list")),
        ("Contact detail", reverse("partners:contact_detail", args=[contact.pk])),
        ("Touchpoint list", reverse("outreach:touchpoint_list")),
        ("Touchpoint detail", reverse("outreach:touchpoint_detail", args=[touchpoint.pk])),
        ("Meeting list", reverse("outreach:meeting_list")),
        ("Meeting calendar", reverse("outreach:meeting_calendar")),
        ("Meeting detail", reverse("outreach:meeting_detail", args=[meeting.pk])),
        ("Meeting create form", reverse("outreach:meeting_create", args=[organization.pk])),
        # The New menu's pages, with the organization box (and a contact's organization).
        ("Touchpoint new form", f"{reverse('outreach:touchpoint_new')}?contact={contact.pk}"),
        ("Meeting new form", reverse("outreach:meeting_new")),
        ("Follow-up new form", reverse("outreach:followup_new")),
        ("Contact new form", reverse("partners:contact_new")),
        (
            "Contact: add to an organization",
            reverse("partners:contact_organization_add", args=[contact.pk]),
        ),
        ("Touchpoint edit form", reverse("outreach:touchpoint_edit", args=[touchpoint.pk])),
        ("Organization tags form", reverse("partners:organization_tags", args=[organization.pk])),
        ("Related organization form", reverse("partners:relation_add", args=[organization.pk])),
        ("Saved views", reverse("saved_views:saved_view_list")),
        ("Search results", reverse("search:search") + "?q=health+-hospital"),
        ("Search: one kind", reverse("search:search") + "?q=health&kind=touchpoints"),
        (
            "Save a view",
            reverse("saved_views:saved_view_create") + "?list=organizations&query=kind%3Dhealth",
        ),
        ("Follow-ups", reverse("outreach:followup_list")),
        ("Program list", reverse("programs:program_list")),
        ("Program detail", reverse("programs:program_detail", args=[program.pk])),
        ("Program create form", reverse("programs:program_create")),
        ("Grant list", reverse("programs:grant_list")),
        ("Grant edit form", reverse("programs:grant_edit", args=[grant_program.pk])),
        ("Impact summary", f"{reverse('programs:impact_summary')}?program={program.pk}"),
        ("Progress updates", reverse("updates:progress_update_list")),
        ("Progress update review", draft.get_absolute_url()),
        (
            "Progress updates form",
            reverse(
                "updates:progress_subscription_create_for_organization", args=[organization.pk]
            ),
        ),
        ("Profile", reverse("profile")),
        ("Unfiled email", reverse("inbox:unfiled_list")),
        ("Unfiled email: file", reverse("inbox:unfiled_detail", args=[unfiled.pk])),
        ("Touchpoint from an email", reverse("outreach:touchpoint_detail", args=[captured.pk])),
        # Email written in Liaison: to an organization's people, to a list, what was sent.
        ("Write an email", f"{reverse('compose:personal_email')}?organization={organization.pk}"),
        ("New group email", reverse("compose:group_email_new") + "?from=contacts&kind=health"),
        ("Group emails", reverse("compose:group_email_list")),
        ("Group email", group_email.get_absolute_url()),
        ("Touchpoint of a group email", reverse("outreach:touchpoint_detail", args=[sent.pk])),
        ("Email templates", reverse("compose:template_list")),
        # Agreements: the list (ending within 90 days), one, a new one for a partner.
        ("Agreements", reverse("agreements:agreement_list") + "?ending=90"),
        ("Agreement", Agreement.objects.order_by("pk")[0].get_absolute_url()),
        (
            "New agreement",
            f"{reverse('agreements:agreement_create')}?organization={organization.pk}",
        ),
        # Partnership health: those that need care, every one, a partner's page with its health.
        ("Partnership health", reverse("health:overview")),
        ("Partnership health, every level", reverse("health:overview") + "?level=all"),
        (
            "Organization with its health",
            Organization.objects.exclude(health="").order_by("-health", "pk")[0].get_absolute_url(),
        ),
        # Annual reviews: one, its edit form and changes; a new one for a year not yet written.
        ("Annual review", review.get_absolute_url()),
        ("Annual review edit form", reverse("reviews:review_edit", args=[review.pk])),
        ("Annual review history", reverse("reviews:review_history", args=[review.pk])),
        (
            "New annual review",
            reverse("reviews:review_create", args=[organization.pk]) + f"?year={FIRST_YEAR}",
        ),
        # Documents: the list, one document with its versions, uploading to a partner.
        ("Documents", reverse("documents:document_list")),
        ("Document", Document.objects.order_by("pk")[0].get_absolute_url()),
        (
            "Upload a document",
            f"{reverse('documents:document_upload')}?to=organization&of={organization.pk}",
        ),
        # Playbooks: one's steps, stopping the demo clinic's (demo/playbooks.py).
        *_playbook_pages(),
    ]


def _playbook_pages() -> list[tuple[str, str]]:
    from playbooks.models import PlaybookRun

    run = PlaybookRun.objects.filter(status="running").select_related("organization").first()
    assert run, "seed_demo applied no playbook"
    return [
        ("Playbook", reverse("playbooks:playbook_detail", args=[run.playbook_id])),
        ("Organization with a playbook running", run.organization.get_absolute_url()),
        ("Stop a playbook", reverse("playbooks:run_stop", args=[run.pk])),
    ]


def test_librarian_pages_have_no_serious_or_critical_axe_violations(page, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=io.StringIO())
    problems: list[str] = []

    # Logged out first.
    partner = Contact.objects.exclude(email="").order_by("pk").first()
    assert partner is not None
    for name, path in [
        ("Login", reverse("login")),
        ("Password reset", reverse("password_reset")),
        ("Unsubscribe", reverse("updates:unsubscribe", args=[unsubscribe_token(partner)])),
    ]:
        response = page.goto(path)
        assert response and response.ok, f"{name}: {path} answered {response and response.status}"
        problems += _violations(page, name)

    page.goto(reverse("login"))
    page.get_by_label("Username").fill("librarian")
    page.get_by_label("Password").fill("liaison-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")

    for name, path in _pages():
        response = page.goto(path)
        assert response and response.ok, f"{name}: {path} answered {response and response.status}"
        problems += _violations(page, name)
        if name == "Organization create form":
            page.get_by_role("button", name="Add organization").click()
            page.wait_for_load_state()
            assert page.locator(".invalid-feedback, .alert-danger").count(), (
                "submitting the empty organization form showed no errors"
            )
            problems += _violations(page, "Organization create form, submitted empty")
            # The duplicate-name warning htmx swaps in as the name is typed.
            existing = Organization.objects.order_by("pk").values_list("name", flat=True)[0]
            page.get_by_label("Name").fill(existing)
            page.locator("#duplicate-warning .alert").wait_for()
            problems += _violations(page, "Organization create form, duplicate name warning")

    # A manager's pages: the dashboard with the scheduler banner, the delivery log, an email,
    # the reports.
    problems += _manager_pages(page)

    assert not problems, f"{len(problems)} serious or critical axe violation(s):\n" + "\n".join(
        problems
    )


def _manager_pages(page) -> list[str]:
    from mail import outbox
    from mail.models import OutgoingEmail

    for n, status in enumerate(OutgoingEmail.Status.values):
        row = outbox.email_queue(
            outbox.Email(
                kind=OutgoingEmail.Kind.DIGEST, key=f"axe:{n}", to_address=f"p{n}@example.org",
                to_name=f"Person {n}", subject=f"Your day {n}", body_text="Text",
                body_html="<p>Hello</p>",
            )
        )  # fmt: skip
        assert row is not None
        OutgoingEmail.objects.filter(pk=row.pk).update(
            status=status, last_error="550 No", lease_expires_at=row.created_at
        )
    failed = OutgoingEmail.objects.get(status=OutgoingEmail.Status.FAILED)
    area = FocusArea.objects.order_by("pk")[0]
    agreement = Agreement.objects.order_by("pk")[0]
    document = Document.objects.order_by("pk")[0]
    followup = FollowUp.objects.filter(status=FollowUp.Status.OPEN).order_by("pk").first()
    assert followup is not None
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("liaison-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    problems = []
    for name, path in [
        ("Manager dashboard", reverse("home")),
        ("Delivery log", reverse("mail:delivery_log")),
        ("Delivery log, failed only", reverse("mail:delivery_log") + "?status=failed"),
        ("Failed email", reverse("mail:email_detail", args=[failed.pk])),
        # Someone's follow-up: a manager may act on it, so its page has every action.
        ("Follow-up detail", followup.get_absolute_url()),
        ("Follow-up edit form", reverse("outreach:followup_edit", args=[followup.pk])),
        ("Follow-up cancel", reverse("outreach:followup_cancel", args=[followup.pk])),
        ("Email template form", reverse("compose:template_create")),
        ("Focus areas", reverse("partners:focus_area_list")),
        ("Tags", reverse("partners:tag_list")),
        ("Cadences per stage", reverse("health:cadences")),
        ("Agreement edit form", reverse("agreements:agreement_edit", args=[agreement.pk])),
        ("Focus area merge", reverse("partners:focus_area_merge", args=[area.pk])),
        ("Purge a document's files", reverse("documents:document_purge", args=[document.pk])),
        ("Playbooks", reverse("playbooks:playbook_list")),
        ("New playbook", reverse("playbooks:playbook_create")),
        ("Playbook edit form", reverse("playbooks:playbook_edit", args=[_first_playbook()])),
        *((f"Report {slug}", reverse(f"reports:{slug}")) for slug in REPORTS),
        *_bulk_pages(),
    ]:
        response = page.goto(path)
        assert response and response.ok, f"{name}: {path} answered {response and response.status}"
        problems += _violations(page, name)
    # On a phone a report's tables scroll sideways: the keyboard must reach them too.
    page.set_viewport_size({"width": 375, "height": 800})
    for slug in REPORTS:
        page.goto(reverse(f"reports:{slug}"))
        problems += _violations(page, f"Report {slug}, 375 px wide")
    return problems


def _first_playbook() -> int:
    from playbooks.models import Playbook

    return Playbook.objects.order_by("pk").values_list("pk", flat=True)[0]


def _bulk_pages() -> list[tuple[str, str]]:
    """Bulk actions: choosing, the confirmation, one running (its progress bar), the review."""
    from django.contrib.auth.models import User

    from bulk.models import BulkAction

    manager = User.objects.get(username="manager")
    librarian = User.objects.get(username="librarian")
    first = Organization.objects.order_by("pk")[:3].values_list("pk", flat=True)
    ids = "&".join(f"ids={pk}" for pk in first)
    choose = f"{reverse('bulk:bulk_choose')}?records=organizations&filter=&{ids}"
    running = BulkAction.objects.create(
        records="organizations", action="tag_add", count=1200, by=manager,
        summary="1,200 organizations: tag “Branch network” added",
    )  # fmt: skip
    done = BulkAction.objects.create(
        records="organizations", action="owner", count=3, done=3, by=manager,
        status="done", summary="3 organizations: owner Rosa Díaz → Marcus Lee", record_ids=[],
    )  # fmt: skip
    return [
        ("Bulk: what to do", choose),
        ("Bulk: what to do, not filled in", f"{choose}&action=owner"),
        ("Bulk: confirm", f"{choose}&action=owner&owner={librarian.pk}"),
        ("Bulk action running", running.get_absolute_url()),
        ("Bulk action done", done.get_absolute_url()),
        ("Bulk actions", reverse("bulk:bulk_action_list")),
    ]
