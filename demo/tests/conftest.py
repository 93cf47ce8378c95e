"""Fixtures shared by the seed_demo tests: the two settings under which seeding is allowed."""

import pytest


@pytest.fixture
def debug(settings, db) -> None:
    settings.DEBUG = True
    settings.LIAISON_DEMO = False


@pytest.fixture
def demo_mode(settings, db) -> None:
    settings.DEBUG = False  # as on a shared demo server, where LIAISON_DEMO opts in
    settings.LIAISON_DEMO = True
