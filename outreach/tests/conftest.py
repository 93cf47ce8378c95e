"""Fixtures shared by the outreach tests (the cast of users and partners: the root conftest)."""

import pytest

from core.profiles import profile_for


@pytest.fixture
def has_profile(librarian) -> None:
    """Steady state: the time-zone profile is made once, on a user's very first page."""
    profile_for(librarian)
