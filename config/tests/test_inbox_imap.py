"""Captured email read from a real IMAP server: Debian's Dovecot on loopback, over TLS.

Each test starts its own Dovecot (config/realservices.py: a throwaway configuration, a
self-signed certificate and one mailbox under a temporary directory), delivers messages to it
with IMAP APPEND, and reads them as the beat task does — in this process, or in Celery workers.
"""

import ssl
import time

import pytest
from django.db import connection
from imap_tools import MailBox

from config.celery import app
from config.realservices import (
    DovecotServer,
    RedisServer,
    Worker,
    database_url,
    point_celery_at,
    service_env,
    wait_for,
)
from inbox import sources
from inbox.models import CapturedAttachment, CapturedEmail, SetAside
from inbox.reading import mailbox_read
from inbox.tests.messages import MALFORMED, latin1_raw, raw
from outreach.models import Touchpoint
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.services


@pytest.fixture
def dovecot(settings):
    if not DovecotServer.available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = DovecotServer().start()
    settings.INBOUND_IMAP_URL = server.url
    settings.INBOUND_IMAP_CA_FILE = server.ca_file
    yield server
    server.close()


def _mailbox(server: DovecotServer) -> MailBox:
    context = ssl.create_default_context(cafile=server.ca_file)
    return MailBox("127.0.0.1", server.port, ssl_context=context).login(
        server.USER, server.PASSWORD
    )


def deliver(server: DovecotServer, *messages: bytes) -> None:
    with _mailbox(server) as box:
        for message in messages:
            box.append(message, "INBOX")


def folder_counts(server: DovecotServer) -> dict[str, int]:
    with _mailbox(server) as box:
        existing = {folder.name for folder in box.folder.list()}
        names = ["INBOX", *sources.FOLDERS]
        return {
            name: box.folder.status(name)["MESSAGES"] if name in existing else 0 for name in names
        }


@pytest.fixture
def clinic(db):
    clinic = OrganizationFactory(name="Riverside Community Clinic")
    maya = ContactFactory(name="Maya Lopez", email="maya@clinic.example.org")
    AffiliationFactory(contact=maya, organization=clinic)
    helene = ContactFactory(name="Hélène Dubois", email="helene@clinic.example.org")
    AffiliationFactory(contact=helene, organization=clinic)
    return clinic


def test_every_kind_of_message(dovecot, clinic, librarian, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4 " + b"flyer " * 1000
    big = raw(message_id="<big@clinic.example.org>", attachments=[
        ("scan.tiff", "image/tiff", b"\x00" * (20 * 1024 * 1024)),
    ])  # fmt: skip
    deliver(
        dovecot,
        raw(message_id="<plain@clinic.example.org>"),
        raw(message_id="<html@clinic.example.org>", text=None, html="<p>Only <b>HTML</b></p>"),
        raw(
            message_id="<files@clinic.example.org>",
            html="<p>With files</p>",
            attachments=[("Flyer.pdf", "application/pdf", pdf), ("notes.txt", "text/plain", b"hi")],
        ),
        latin1_raw(),
        big,
        MALFORMED,
        raw(
            message_id="<reply@library.example.org>",
            sender="alice@library.example.org",
            to="maya@clinic.example.org",
            subject="Re: Diabetes workshop dates",
            headers={"In-Reply-To": "<plain@clinic.example.org>"},
        ),
        raw(message_id="<ooo@clinic.example.org>", headers={"Auto-Submitted": "auto-replied"}),
    )
    done = mailbox_read()
    assert (done.captured, done.ignored, done.too_large) == (5, 1, 1)
    assert done.unreadable == ["It has no sender address (From)."]
    assert folder_counts(dovecot) == {
        "INBOX": 0, sources.PROCESSED: 6, sources.UNREADABLE: 1, sources.TOO_LARGE: 1,
    }  # fmt: skip
    emails = {e.message_id: e for e in CapturedEmail.objects.all()}
    assert emails["<html@clinic.example.org>"].text == "Only HTML"
    files = CapturedAttachment.objects.filter(email=emails["<files@clinic.example.org>"])
    assert sorted((a.filename, a.size) for a in files) == [
        ("Flyer.pdf", len(pdf)),
        ("notes.txt", 2),
    ]
    assert emails["<latin1-1@clinic.example.org>"].subject == "Réunion du comité"
    assert emails["<latin1-1@clinic.example.org>"].from_name == "Hélène Dubois"
    reply = emails["<reply@library.example.org>"]
    assert reply.thread_key == "<plain@clinic.example.org>"
    assert reply.direction == CapturedEmail.Direction.OUT and reply.staff == librarian
    assert Touchpoint.objects.filter(organization=clinic).count() == 5
    too_large = SetAside.objects.get(reason=SetAside.Reason.TOO_LARGE)
    assert too_large.folder == sources.TOO_LARGE and "over the 15 MB" in too_large.detail
    unreadable = SetAside.objects.get(reason=SetAside.Reason.UNREADABLE)
    assert unreadable.detail == "It has no sender address (From)."
    # The mailbox read again: nothing new, nothing doubled.
    assert mailbox_read().captured == 0
    assert CapturedEmail.objects.count() == 5


def test_a_restart_mid_batch_doubles_nothing(dovecot, clinic, librarian, monkeypatch):
    deliver(dovecot, *(raw(message_id=f"<m{n}@clinic.example.org>") for n in range(5)))
    moves: list[str] = []
    real_move = sources.ImapSource.move

    def crash_on_the_third(self, key, folder):
        if len(moves) == 2:
            raise ConnectionResetError("the worker was stopped")  # saved, not moved
        moves.append(key)
        real_move(self, key, folder)

    monkeypatch.setattr(sources.ImapSource, "move", crash_on_the_third)
    with pytest.raises(ConnectionResetError):
        mailbox_read()
    assert CapturedEmail.objects.count() == 3
    monkeypatch.setattr(sources.ImapSource, "move", real_move)
    done = mailbox_read()
    assert (done.captured, done.already) == (2, 1)
    assert CapturedEmail.objects.count() == 5 and Touchpoint.objects.count() == 5
    assert folder_counts(dovecot)["INBOX"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_celery_workers_read_the_mailbox_at_once_and_log_each_email_once(
    dovecot, librarian, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("The Celery worker tests need PostgreSQL (set DATABASE_URL)")
    if not RedisServer.available():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    clinic = OrganizationFactory(name="Riverside Community Clinic")
    AffiliationFactory(contact=ContactFactory(email="maya@clinic.example.org"), organization=clinic)
    count = 40
    deliver(dovecot, *(raw(message_id=f"<w{n}@clinic.example.org>") for n in range(count)))
    redis = RedisServer().start()
    point_celery_at(redis.url)
    env = service_env(
        database_url=database_url(),
        redis_url=redis.url,
        email_url="consolemail://",
        INBOUND_IMAP_URL=dovecot.url,
        INBOUND_IMAP_CA_FILE=dovecot.ca_file,
        LIAISON_VAR_DIR=str(tmp_path),
    )
    workers = [Worker(f"reader{n}", env).start() for n in (1, 2)]
    try:
        started = time.monotonic()
        for _ in workers:
            app.send_task("inbox.read_mailbox")
        wait_for(
            lambda: folder_counts(dovecot)["INBOX"] == 0,
            timeout=90,
            interval=0.5,
            what="the workers to read every message",
        )
        seconds = time.monotonic() - started
        wait_for(
            lambda: all("succeeded" in w.log() for w in workers), timeout=30, what="both tasks"
        )
    except TimeoutError:
        raise AssertionError("\n\n".join(w.log()[-3000:] for w in workers)) from None
    finally:
        for worker in workers:
            worker.close()
        point_celery_at("memory://")
        redis.close()
    assert CapturedEmail.objects.count() == count
    assert Touchpoint.objects.filter(organization=clinic).count() == count
    assert folder_counts(dovecot)[sources.PROCESSED] == count
    print(f"{count} messages read by two workers in {seconds:.1f} s")
