"""The progress-update email tells nothing of a program whose only news is an unshared story.

The email is built from the partner's impact summary (programs.selectors.impact), which leaves
out a program with nothing in the period but a story told without consent to share.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.models import Program, ProgramPartner, Story
from updates import services
from updates.tests.helpers import draft_february, progress_emails, subscribe

pytestmark = pytest.mark.django_db

TITLE = "Winter tenant rights clinic"
SECRET = "Please do not repeat what I said about my landlord."


def test_the_email_leaves_out_a_program_whose_only_story_lacks_consent(librarian):
    clinic = OrganizationFactory(name="Riverside Health Clinic")
    ana = AffiliationFactory(organization=clinic, contact__email="ana@clinic.example.org").contact
    program = Program.objects.create(
        title=TITLE,
        status=Program.Status.COMPLETED,
        start_date=dt.date(2025, 11, 3),
        end_date=dt.date(2026, 1, 20),
    )
    ProgramPartner.objects.create(program=program, organization=clinic, role="co_host")
    Story.objects.create(program=program, text=SECRET, who="Jane Doe", told_on=dt.date(2026, 2, 12))
    partner = SimpleNamespace(organization=clinic, ana=ana, ben=ana)
    update = draft_february(subscribe(partner, librarian, recipients=[ana]))

    services.progress_update_send(update=update, by=librarian)

    (email,) = progress_emails()
    for body in (email.body_text, email.body_html):
        assert body  # the email was written, and says nothing of the program or the story
        assert TITLE not in body
        assert SECRET not in body and "Jane Doe" not in body
