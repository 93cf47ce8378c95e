"""Test set-up shared by every app: the cast of users, fast hashing, and CI strictness."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told it is safe (it is: the loop is only Playwright's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI every test runs for real: a skip (missing service or browser) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped in CI, where every test must run: {reason}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def librarian(db):
    from core import roles
    from core.tests.factories import UserFactory

    return UserFactory(
        username="alice", first_name="Alice", last_name="Reyes", role=roles.LIBRARIAN
    )


@pytest.fixture
def manager(db):
    from core import roles
    from core.tests.factories import UserFactory

    return UserFactory(username="maria", first_name="Maria", last_name="Chen", role=roles.MANAGER)


@pytest.fixture
def admin_user(db):
    from core import roles
    from core.tests.factories import UserFactory

    return UserFactory(username="ada", first_name="Ada", last_name="Okafor", role=roles.ADMIN)


@pytest.fixture
def librarian_client(client, librarian):
    client.force_login(librarian)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
