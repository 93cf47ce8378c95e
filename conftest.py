"""Test set-up shared by every app: the cast of users, fast hashing, and CI strictness."""

import os
import zlib

import factory.random
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
def _same_made_up_data_each_run(request):
    """Each test's made-up names (factory_boy's Faker) are the same on every run of it, so a
    name that fails a test can be seen again (factory sequences, such as the numbered emails,
    still count on from the tests run before)."""
    factory.random.reseed_random(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty cache of its own in memory.

    The cache holds throttle counters (password reset), which outlive a test's transaction; and
    with REDIS_URL set (CI) the cache would be Redis, whose expiry follows the real clock, not
    time-machine's.
    """
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture(autouse=True)
def _role_groups(request):
    """The roles exist as core's first migration makes them, in every test with a database.

    A transactional test (browser, race and real-service tests) ends with a flush that removes
    them with everything else; the next test that needs them (seed_demo does) gets them back.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if not transactional and not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from core import roles

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


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


# The partners the tests of every app above partners work with.


@pytest.fixture
def county(db):
    from partners.tests.factories import OrganizationFactory

    return OrganizationFactory(name="Riverside County Health Department")


@pytest.fixture
def clinic(db):
    from partners.tests.factories import OrganizationFactory

    return OrganizationFactory(name="Eastside Community Clinic")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads (survey files, documents, the demo's) land in a temporary folder, never in
    var/media: for every test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    def log_in_as(user, password: str = "liaison-test") -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")

    return log_in_as


@pytest.fixture(autouse=True, scope="session")
def _celery_in_memory():
    """Tasks published by ordinary tests go nowhere (not into var/broker/ of a laptop).

    The real-service tests (config/tests/test_email_services.py) point Celery at their own Redis.
    """
    from config.realservices import point_celery_at

    point_celery_at("memory://")
