"""Login throttling (django-axes): a username from one address is locked after 5 failures for
15 minutes, the page says so, and an admin can unlock it sooner."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "liaison-test"


@pytest.fixture
def alice():
    return UserFactory(username="alice")


def log_in(client: Client, password: str, username: str = "alice", address: str = "203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client: Client, username: str = "alice") -> None:
    for attempt in range(5):
        response = log_in(client, f"wrong-guess-{attempt}", username=username)
        # Each wrong password before the lock gets the ordinary, non-committal answer.
        assert response.status_code in {200, 429}


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_the_sixth_attempt_with_the_right_password_is_refused(client, alice):
    fail_five_times(client)

    response = log_in(client, RIGHT)

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, alice):
    for attempt in range(30):
        log_in(client, f"guess-{attempt}")

    log_in(client, RIGHT)

    assert not is_logged_in(client)


def test_the_locked_page_says_what_happened_and_what_to_do(client, alice):
    fail_five_times(client)

    response = log_in(client, RIGHT)

    page = response.content.decode()
    assert "registration/locked.html" in [t.name for t in response.templates]
    assert "Too many failed attempts" in page
    assert "try again in 15 minutes" in page
    assert "ask an administrator to unlock your account" in page
    assert reverse("password_reset") in page


def test_four_failures_then_the_right_password_still_logs_in(client, alice):
    for attempt in range(4):
        log_in(client, f"typo-{attempt}")

    response = log_in(client, RIGHT)

    assert response.status_code == 302 and response.url == reverse("home")


def test_login_works_again_after_the_cool_off(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail_five_times(client)
        clock.shift(dt.timedelta(minutes=14))
        assert log_in(client, RIGHT).status_code == 429

        # The refused attempt started the 15 minutes again.
        clock.shift(dt.timedelta(minutes=15, seconds=1))
        response = log_in(client, RIGHT)

    assert response.status_code == 302 and response.url == reverse("home")


def test_the_lock_holds_one_username_from_one_address(client, alice):
    UserFactory(username="bob")
    fail_five_times(client)

    # Alice from another address, and Bob from the same address, still get in.
    elsewhere = Client()
    assert log_in(elsewhere, RIGHT, address="198.51.100.20").status_code == 302
    assert log_in(Client(), RIGHT, username="bob").status_code == 302


def test_an_admin_unlocks_with_the_management_command(client, alice):
    fail_five_times(client)

    call_command("axes_reset_username", "alice")

    assert log_in(client, RIGHT).status_code == 302


def test_an_admin_unlocks_in_the_admin(client, alice):
    from axes.models import AccessAttempt

    fail_five_times(client)
    attempt = AccessAttempt.objects.get(username="alice")
    admin = Client()
    admin.force_login(UserFactory(username="ada", role=roles.ADMIN))

    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302

    assert log_in(client, RIGHT).status_code == 302


def test_behind_a_proxy_the_lock_follows_the_forwarded_address(client, alice, settings):
    settings.LIAISON_PROXY_COUNT = 1

    def through_proxy(c: Client, password: str, client_address: str):
        # The client may send its own X-Forwarded-For; the proxy appends the address it saw.
        forwarded = f"192.0.2.66, {client_address}"
        return c.post(
            reverse("login"),
            {"username": "alice", "password": password},
            HTTP_X_FORWARDED_FOR=forwarded,
            REMOTE_ADDR="10.0.0.2",  # the proxy
        )

    for attempt in range(5):
        through_proxy(client, f"guess-{attempt}", "203.0.113.7")

    assert through_proxy(client, RIGHT, "203.0.113.7").status_code == 429
    assert through_proxy(Client(), RIGHT, "198.51.100.20").status_code == 302
