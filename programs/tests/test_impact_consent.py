"""A story told without consent never brings its program into a partner's impact summary.

A partner's summary lists the programs that had a session, an outcome or a consented story in
the period, or were running then. A program with nothing in the period but a story its teller
did not agree to share is not one of them: listing it would show that someone said something.
"""

import datetime as dt

import pytest

from partners.tests.factories import OrganizationFactory
from programs.models import Program, ProgramPartner, Story
from programs.selectors.impact import impact_summary

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 2, 1), dt.date(2026, 2, 28)
SECRET = "Please do not repeat what I said about my landlord."


@pytest.fixture
def clinic_and_finished_program():
    """A clinic and a program it hosted that ended in January: nothing else in February."""
    clinic = OrganizationFactory(name="Riverside Health Clinic")
    program = Program.objects.create(
        title="Winter tenant rights clinic",
        status=Program.Status.COMPLETED,
        start_date=dt.date(2025, 11, 3),
        end_date=dt.date(2026, 1, 20),
    )
    ProgramPartner.objects.create(program=program, organization=clinic, role="co_host")
    return clinic, program


def tell(program: Program, *, consent: bool) -> Story:
    return Story.objects.create(
        program=program, text=SECRET, told_on=dt.date(2026, 2, 12), consent_to_share=consent
    )


def test_a_program_whose_only_story_lacks_consent_stays_out(clinic_and_finished_program):
    clinic, program = clinic_and_finished_program
    tell(program, consent=False)

    summary = impact_summary(organization=clinic, start=START, end=END)

    assert summary.programs == []
    assert summary.stories == 0


def test_the_same_story_told_with_consent_brings_the_program_in(clinic_and_finished_program):
    clinic, program = clinic_and_finished_program
    tell(program, consent=True)

    summary = impact_summary(organization=clinic, start=START, end=END)

    assert [impact.program for impact in summary.programs] == [program]
    assert [story.text for story in summary.programs[0].stories] == [SECRET]
