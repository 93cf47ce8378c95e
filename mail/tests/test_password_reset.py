"""Password reset: the request does the same work whether or not the address has an account,
the email goes through the outbox, and requests are throttled per address and per client."""

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import UserFactory
from mail import outbox, tasks
from mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db

KNOWN = "alice@library.example.org"
UNKNOWN = "nobody@library.example.org"


@pytest.fixture
def alice():
    return UserFactory(username="alice", email=KNOWN)


@pytest.fixture
def published(monkeypatch) -> list[dict[str, Any]]:
    """The tasks the request handed to Celery (the memory broker drops them)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        tasks.password_reset_email_queue,
        "apply_async",
        lambda kwargs=None, **options: calls.append(kwargs or {}),
    )
    return calls


def ask_for_reset(client: Client, email: str, address: str = "203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def run_published(published: list[dict[str, Any]]) -> None:
    for kwargs in published:
        tasks.password_reset_email_queue(**kwargs)


def test_known_and_unknown_addresses_get_the_same_answer_for_the_same_work(
    client, alice, published, django_capture_on_commit_callbacks
):
    seen = {}
    for email in (KNOWN, UNKNOWN):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            response = ask_for_reset(client, email)
        seen[email] = {
            "status": response.status_code,
            "redirect": response.get("Location"),
            "templates": [t.name for t in response.templates],
            "queries": [q["sql"] for q in queries.captured_queries],
            "after_commit": len(callbacks),
        }

    assert seen[KNOWN] == seen[UNKNOWN]
    assert seen[KNOWN]["status"] == 302
    assert seen[KNOWN]["redirect"] == reverse("password_reset_done")
    # The request never looks the address up: that happens in the worker.
    assert not any("auth_user" in sql for sql in seen[KNOWN]["queries"])
    assert [call["email"] for call in published] == [KNOWN, UNKNOWN]


def test_no_email_work_happens_in_the_request(client, alice, published, monkeypatch):
    def no_smtp(*args: object, **kwargs: object) -> None:
        raise AssertionError("an email connection was opened during the request")

    monkeypatch.setattr("django.core.mail.get_connection", no_smtp)
    monkeypatch.setattr(outbox, "email_queue", no_smtp)

    response = ask_for_reset(client, KNOWN)

    assert response.status_code == 302
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_the_worker_queues_the_email_in_the_outbox_only_for_an_account(
    client, alice, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, KNOWN)
        ask_for_reset(client, UNKNOWN)

    run_published(published)
    run_published(published)  # a task delivered twice queues nothing more

    email = OutgoingEmail.objects.get()
    assert email.kind == OutgoingEmail.Kind.PASSWORD_RESET
    assert email.to_address == KNOWN and email.user == alice
    assert email.subject == "Reset your Liaison password"


def test_the_reset_email_links_to_a_working_page(
    client, alice, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, KNOWN)
    run_published(published)
    outbox.emails_send_due()

    [message] = mail.outbox
    assert message.subject == "Reset your Liaison password"
    assert message.extra_headers["X-Liaison-Kind"] == "password_reset"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    response = client.get(urlsplit(link.strip()).path, follow=True)
    assert b"Choose a new password" in response.content


def test_the_delivery_log_does_not_show_the_reset_link(
    client, alice, manager_client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, KNOWN)
    run_published(published)
    email = OutgoingEmail.objects.get()

    page = manager_client.get(reverse("mail:email_detail", args=[email.pk])).content.decode()

    assert "/accounts/reset/" not in page
    assert "holds a link to choose a new password" in page
    html = manager_client.get(reverse("mail:email_html", args=[email.pk]))
    assert html.status_code == 404


def test_the_link_is_blanked_once_the_email_is_sent(
    client, alice, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, KNOWN)
    run_published(published)

    outbox.emails_send_due()

    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT
    assert "/accounts/reset/" not in email.body_text + email.body_html


def test_a_sixth_request_for_one_address_within_the_hour_is_refused_kindly(
    client, published, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with (
        time_machine.travel(start, tick=False) as clock,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for n in range(5):
            assert ask_for_reset(client, UNKNOWN, address=f"198.51.100.{n}").status_code == 302

        refused = ask_for_reset(client, UNKNOWN, address="198.51.100.99")

        clock.shift(dt.timedelta(hours=1, seconds=1))
        later = ask_for_reset(client, UNKNOWN, address="198.51.100.99")

    assert refused.status_code == 429
    assert "registration/password_reset_throttled.html" in [t.name for t in refused.templates]
    assert "Too many password reset requests" in refused.content.decode()
    assert len(published) == 6
    assert later.status_code == 302


def test_a_client_asking_for_many_addresses_is_refused_after_twenty(
    client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            assert ask_for_reset(client, f"person{n}@example.org").status_code == 302

        refused = ask_for_reset(client, "person20@example.org")
        elsewhere = ask_for_reset(Client(), "person20@example.org", address="192.0.2.1")

    assert refused.status_code == 429
    assert elsewhere.status_code == 302
    assert len(published) == 21
