import pytest

from core import roles
from core.tests.factories import UserFactory
from partners.tests.factories import OrganizationFactory


@pytest.fixture
def rosa(db):
    """The colleague who is leaving: her partners go to Marcus."""
    return UserFactory(username="rosa", first_name="Rosa", last_name="Díaz", role=roles.LIBRARIAN)


@pytest.fixture
def marcus(db):
    return UserFactory(
        username="marcus", first_name="Marcus", last_name="Lee", role=roles.LIBRARIAN
    )


@pytest.fixture
def rosas_partners(rosa):
    return [OrganizationFactory(name=f"Partner {n:02d}", owner=rosa) for n in range(80)]
