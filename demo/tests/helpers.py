"""Helpers shared by the seed_demo tests."""

from io import StringIO

from django.core.management import call_command

from compose.models import EmailTemplate, GroupEmail
from documents.models import Document, DocumentVersion
from inbox.models import CapturedEmail
from partners.models import Contact, Organization
from programs.models import Program
from reviews.models import PartnershipReview


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def forget_partners() -> None:
    """Empty the partner tables (and with them the log and the programs) so that seed_demo
    loads again."""
    DocumentVersion.objects.all().delete()  # documents keep their partners and contacts
    Document.objects.all().delete()
    Program.objects.all().delete()  # a program outlives its partner organizations
    PartnershipReview.objects.all().delete()  # a review keeps its partner
    Contact.objects.all().delete()
    Organization.objects.all().delete()
    CapturedEmail.objects.all().delete()  # the demo's captured email, filed or not
    GroupEmail.objects.all().delete()  # and the emails written in Liaison, with their templates
    EmailTemplate.objects.all().delete()
