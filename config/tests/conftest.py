"""Fixtures shared by the whole-site tests."""

from typing import TypeVar

import pytest
from django.core.management import call_command
from django.db.models import Model, QuerySet

from agreements.models import Agreement
from bulk.models import BulkAction
from config.tests.merge_cast import areas, duplicates, people  # noqa: F401 — the merge tests' cast
from core.profiles import calendar_token_rotate
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Affiliation, Contact, FocusArea, Organization
from partners.relations import OrganizationRelation
from partners.tags import Tag
from playbooks.models import Playbook, PlaybookRun
from programs.models import Program, ProgramSession, SurveyResult
from reviews.models import PartnershipReview
from saved_views.models import SavedView
from updates.models import ProgressSubscription, ProgressUpdate
from updates.unsubscribe import unsubscribe_token

M = TypeVar("M", bound=Model)


def _first(rows: QuerySet[M]) -> M:
    """The first of the rows: the demo data set has some of every kind."""
    row = rows.first()
    assert row is not None
    return row


@pytest.fixture
def demo(settings, librarian, media_root):
    """The demo data set, and a row of each kind for the routes with a <pk> (see routes.py)."""
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    program = _first(Program.objects.filter(kind=Program.Kind.GRANT))
    survey = SurveyResult.objects.create(
        program=program, file="surveys/none.csv", original_name="none.csv", responses=0
    )
    return {
        "organizations": _first(Organization.objects.filter(affiliations__isnull=False)).pk,
        "contacts": _first(Contact.objects.all()).pk,
        "affiliations": _first(Affiliation.objects.filter(end_date__isnull=True)).pk,
        "meetings": _first(Meeting.objects.all()).pk,
        "touchpoints": _first(Touchpoint.objects.all()).pk,
        "followups": _first(FollowUp.objects.filter(status="open")).pk,
        "programs": program.pk,
        "surveys": survey.pk,
        "sessions": _first(ProgramSession.objects.all()).pk,
        "imports": _an_import_run(librarian).pk,
        "progress": _first(ProgressUpdate.objects.filter(status="draft")).pk,
        "subscriptions": _first(ProgressSubscription.objects.all()).pk,
        "token": calendar_token_rotate(user=librarian),
        "email": _an_outgoing_email().pk,
        "unsubscribe": unsubscribe_token(_first(Contact.objects.exclude(email=""))),
        **_captured_email(),
        **_written_email(),
        **_documents(),
        # Made by a migration, so gone from a transactional test's flushed database.
        "focus-areas": FocusArea.objects.get_or_create(name="Health literacy")[0].pk,
        "agreements": _first(Agreement.objects.all()).pk,
        "reviews": _first(PartnershipReview.objects.all()).pk,
        "related": _first(OrganizationRelation.objects.all()).pk,
        "tags": _first(Tag.objects.all()).pk,
        # The demo librarian's (only its owner opens its edit page: others find no such view).
        "saved-views": _first(SavedView.objects.all()).pk,
        # The demo's clinic under "New health partner" (demo/playbooks.py).
        "playbooks": _first(Playbook.objects.filter(runs__isnull=False)).pk,
        "playbook-runs": _first(PlaybookRun.objects.filter(status="running")).pk,
        # Made by the demo librarian: only she and managers open it.
        "bulk-actions": BulkAction.objects.create(
            records=BulkAction.Records.ORGANIZATIONS,
            action=BulkAction.Action.STAGE,
            count=0,
            summary="0 organizations: stage Identified → Active",
            by=librarian,
            status=BulkAction.Status.DONE,
        ).pk,
    }


def _documents() -> dict[str, int]:
    """A document of the demo's (a signed MOU) and its file."""
    from documents.models import Document

    document = _first(Document.objects.filter(kind="agreement"))
    return {"documents": document.pk, "document-files": document.versions.get().pk}


def _written_email() -> dict[str, int]:
    """The demo's past group email and one of its templates."""
    from compose.models import EmailTemplate, GroupEmail

    return {
        "group-email": _first(GroupEmail.objects.all()).pk,
        "email-templates": _first(EmailTemplate.objects.all()).pk,
    }


def _captured_email() -> dict[str, int]:
    """An unfiled email of the demo's, a message set aside for a person, an attachment."""
    from django.core.files.base import ContentFile

    from inbox.models import CapturedAttachment, CapturedEmail, SetAside

    unfiled = _first(CapturedEmail.objects.unfiled())
    attachment = CapturedAttachment.objects.create(
        email=unfiled,
        file=ContentFile(b"%PDF-1.4 flyer", name="flyer.pdf"),
        filename="flyer.pdf",
        content_type="application/pdf",
        size=14,
    )
    set_aside = SetAside.objects.create(
        reason=SetAside.Reason.TOO_LARGE, detail="20.0 MB", folder="Too large", size=20 << 20
    )
    return {"unfiled-email": unfiled.pk, "attachments": attachment.pk, "set-aside": set_aside.pk}


def _an_import_run(user):
    from django.utils import timezone

    from transfer.models import ImportRun

    return ImportRun.objects.create(
        kind=ImportRun.Kind.ORGANIZATIONS,
        file="imports/none.csv",
        original_name="none.csv",
        uploaded_by=user,
        status=ImportRun.Status.DONE,
        confirmed_at=timezone.now(),
    )


def _an_outgoing_email():
    from mail import outbox
    from mail.models import OutgoingEmail

    outbox.email_queue(
        outbox.Email(
            kind=OutgoingEmail.Kind.TEST, key="crawl", to_address="crawl@example.org",
            subject="Crawl", body_text="Body",
        )
    )  # fmt: skip
    return OutgoingEmail.objects.get(idempotency_key="crawl")
