"""Fixtures shared by the progress-update tests."""

import datetime as dt
from types import SimpleNamespace

import pytest

from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.models import Outcome, ProgramSession, Story
from programs.tests.factories import ProgramFactory, ProgramPartnerFactory
from updates.tests.helpers import CONSENTED, NEW_YORK, SECRET, local


@pytest.fixture
def partner(db):
    """A clinic with two people, a joint program with a February to report on."""
    organization = OrganizationFactory(name="Riverside Health Clinic", stage="active")
    ana = AffiliationFactory(
        organization=organization, contact__name="Ana Ruiz", contact__email="ana@clinic.example.org"
    ).contact
    ben = AffiliationFactory(
        organization=organization,
        contact__name="Ben Okoro",
        contact__email="ben@clinic.example.org",
    ).contact
    program = ProgramFactory(
        title="Job club", status="active", start_date=dt.date(2026, 1, 5), end_date=None
    )
    ProgramPartnerFactory(program=program, organization=organization)
    for day, people in ((5, 20), (12, 15), (19, None)):
        ProgramSession.objects.create(
            program=program, starts_at=local(NEW_YORK, 2026, 2, day, 18), attendance=people
        )
    # 22:30 on February 28 in New York is already March 1 in UTC: it still counts for February.
    ProgramSession.objects.create(
        program=program, starts_at=local(NEW_YORK, 2026, 2, 28, 22, 30), attendance=7
    )
    ProgramSession.objects.create(
        program=program, starts_at=local(NEW_YORK, 2026, 3, 2, 18), attendance=99
    )
    Outcome.objects.create(
        program=program,
        metric="Reporting more confidence",
        value=78,
        unit="%",
        measured_on=dt.date(2026, 2, 20),
    )
    Story.objects.create(
        program=program,
        text=CONSENTED,
        who="Marisol",
        told_on=dt.date(2026, 2, 12),
        consent_to_share=True,
    )
    Story.objects.create(
        program=program, text=SECRET, who="Anonymous", told_on=dt.date(2026, 2, 12)
    )
    return SimpleNamespace(organization=organization, ana=ana, ben=ben, program=program)
