"""Fixtures shared by the staff-email tests: the site's address in links, and the staff."""

import pytest

from core import roles
from notifications.tests.helpers import SITE, staff_member


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def alice():
    return staff_member("alice_reyes")


@pytest.fixture
def maria():
    return staff_member("maria_chen", role=roles.MANAGER)


@pytest.fixture
def omar():
    return staff_member("omar_haddad", role=roles.MANAGER)
