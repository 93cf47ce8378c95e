import pytest

from partners.models import Organization
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _library(settings, media_root):
    settings.LIAISON_LIBRARY_NAME = "Riverside Public Library"
    settings.LIAISON_CAPTURE_ADDRESS = "liaison@library.example.org"
    settings.DEFAULT_FROM_EMAIL = "Liaison <liaison@library.example.org>"
    settings.SITE_URL = "https://liaison.library.example.org"


@pytest.fixture
def maya(clinic):
    """Eastside Community Clinic's primary contact."""
    contact = ContactFactory(name="Maya Lopez", email="maya@clinic.example.org")
    AffiliationFactory(contact=contact, organization=clinic, is_primary=True)
    return contact


def partner(name: str, *, kind=Organization.Kind.HEALTH, stage="active", **contact) -> object:
    """An organization with its primary contact (keyword arguments: the contact's fields)."""
    organization = OrganizationFactory(name=name, kind=kind, stage=stage)
    person = ContactFactory(**{"name": f"Pat {name.split()[0]}", **contact})
    AffiliationFactory(contact=person, organization=organization, is_primary=True)
    return person
