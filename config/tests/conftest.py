"""Fixtures shared by the whole-site tests."""

import pytest
from django.core.management import call_command

from core.profiles import profile_for
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Affiliation, Contact, Organization
from programs.models import Program, SurveyResult
from updates.models import ProgressSubscription, ProgressUpdate
from updates.unsubscribe import unsubscribe_token


@pytest.fixture
def demo(settings, librarian):
    """The demo data set, and a row of each kind for the routes with a <pk> (see routes.py)."""
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    program = Program.objects.filter(kind=Program.Kind.GRANT).first()
    survey = SurveyResult.objects.create(
        program=program, file="surveys/none.csv", original_name="none.csv", responses=0
    )
    return {
        "organizations": Organization.objects.filter(affiliations__isnull=False).first().pk,
        "contacts": Contact.objects.first().pk,
        "affiliations": Affiliation.objects.filter(end_date__isnull=True).first().pk,
        "meetings": Meeting.objects.first().pk,
        "touchpoints": Touchpoint.objects.first().pk,
        "followups": FollowUp.objects.filter(status="open").first().pk,
        "programs": program.pk,
        "surveys": survey.pk,
        "imports": _an_import_run(librarian).pk,
        "progress": ProgressUpdate.objects.filter(status="draft").first().pk,
        "subscriptions": ProgressSubscription.objects.first().pk,
        "token": profile_for(librarian).calendar_token,
        "email": _an_outgoing_email().pk,
        "unsubscribe": unsubscribe_token(Contact.objects.exclude(email="").first()),
    }


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
