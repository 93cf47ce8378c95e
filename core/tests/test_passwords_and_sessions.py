"""Passwords of at least 12 characters, sessions that end after 8 idle hours, and pages behind
login that no browser or proxy keeps a copy of."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def problems(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return [str(e.code) for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("river-stone", "password_too_short"),  # 11 characters
        ("password1234", "password_too_common"),
        ("839201746251", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    assert code in problems(password)


def test_a_password_like_the_username_is_refused():
    user = UserFactory.build(username="margaret.okonkwo", email="margaret.okonkwo@example.org")

    assert "password_too_similar" in problems("margaret.okonkwo1", user=user)


def test_the_test_password_is_accepted():
    assert problems("liaison-test", user=UserFactory(username="alice")) == []


def test_changing_to_a_short_password_says_how_long_it_must_be(client):
    client.force_login(UserFactory(username="alice"))

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "liaison-test",
            "new_password1": "blue-harbor",
            "new_password2": "blue-harbor",
        },
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


# Sessions


def test_a_session_ends_after_eight_idle_hours(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(UserFactory(username="alice"))
        clock.shift(dt.timedelta(hours=7, minutes=58))
        assert client.get(reverse("home")).status_code == 200

        clock.shift(dt.timedelta(hours=8, minutes=1))
        response = client.get(reverse("home"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_using_liaison_keeps_the_session_alive_past_eight_hours(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(UserFactory(username="alice"))
        for _ in range(5):  # 10 hours in all, never 8 hours idle
            clock.shift(dt.timedelta(hours=2))
            assert client.get(reverse("home")).status_code == 200


def session_writes(client, name: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]


def test_a_session_is_saved_at_most_once_a_minute(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(UserFactory(username="alice"))

        # Pages right after logging in cost no session write (query counts stay steady) …
        assert session_writes(client, "profile") == []
        clock.shift(dt.timedelta(seconds=59))
        assert session_writes(client, "profile") == []
        # … and a minute on, one page saves it, which moves its expiry on.
        clock.shift(dt.timedelta(seconds=2))
        assert len(session_writes(client, "profile")) == 1


def test_idle_hours_come_from_the_environment():
    environment = {**os.environ, "LIAISON_SESSION_IDLE_HOURS": "2"}
    code = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stdout.strip() == str(2 * 3600)
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


# Cache-Control


def test_pages_behind_login_are_never_stored(client):
    client.force_login(UserFactory(username="alice"))

    for name in ("home", "profile", "partners:organization_list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name


def test_a_redirect_to_log_in_and_the_public_pages_are_left_alone(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert "no-store" not in response.get("Cache-Control", "")
    # The reset request page is public: the middleware leaves its caching to the view.
    assert "no-store" not in client.get(reverse("password_reset")).get("Cache-Control", "")


def test_static_files_are_cacheable_for_signed_in_users(client, settings):
    # WhiteNoise serves from the source folders, as under runserver.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client.force_login(UserFactory(username="alice"))
    css = next((settings.BASE_DIR / "static" / "css").glob("*.css")).name

    response = client.get(f"/{settings.STATIC_URL}css/{css}".replace("//", "/"))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
