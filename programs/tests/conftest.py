"""Fixtures shared by the program tests: a colleague, and a joint grant application."""

import pytest

from core.tests.factories import UserFactory
from partners.tests.factories import OrganizationFactory
from programs.models import Program, ProgramPartner


@pytest.fixture
def colleague(db):
    return UserFactory(username="sam", first_name="Sam", last_name="Ortiz")


@pytest.fixture
def adult_ed(db):
    return OrganizationFactory(name="Adult Education Center")


@pytest.fixture
def program(librarian, clinic, adult_ed) -> Program:
    """A grant program led by Alice; the clinic is the lead partner though not first by name."""
    program = Program.objects.create(
        title="Health literacy for seniors", kind=Program.Kind.GRANT, lead=librarian
    )
    ProgramPartner.objects.create(program=program, organization=adult_ed, role="co_host")
    ProgramPartner.objects.create(program=program, organization=clinic, role="lead")
    return program
